// Package zonefail is the "zone-failure" experiment: RF 3 over 3 zones
// under steady load (lab.Load: register clients on objects, through S3,
// attached to nodes outside the failing zone); one whole zone goes down,
// then comes back. It measures success rate and latency over time, per phase (before,
// during, after the fault), the time until the cluster has healed after
// the zone returned (every node sees every other; in the simulator, every
// replica of every object holds the same copy), and checks the history:
// read-after-write must hold throughout.
//
// Tables: zone_failure.csv (time series: per bucket and endpoint,
// attempts, answered, success %, p50 and max latency), phases.csv,
// events.csv (zone down, zone up, mesh healed, replicas converged, in
// seconds since the load started), faults.csv (the shaded window),
// checks.csv. Figure: zone-failure (success and latency over time, the
// fault window shaded).
package zonefail
