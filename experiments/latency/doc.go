// Package latency is the seed's latency experiment and its measurement,
// which scaling, fidelity and variants reuse: a client attached to one
// node sends one request at a time, each endpoint in turn (endpoint.Rounds),
// and the latencies are summarised per endpoint (mean, min, p50, p99, max)
// next to the published means of Garage 0.5.0 and MinIO.
//
// Experiments: "latency" (5 nodes, every link 100 ms RTT ± 20 ms) and
// "latency-3dc" (6 nodes in 3 data centres: 0.5 ms inside, 100 ± 20 ms
// between). Each writes latency.csv (one row per endpoint and source),
// samples.csv (one row per request), goals.csv, and the figures latency
// (bars: mean, error bars: min–max, published series beside) and
// latency-cdf.
package latency
