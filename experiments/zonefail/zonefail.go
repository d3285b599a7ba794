package zonefail

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/gogarage/garage/checker"
	"github.com/gogarage/garage/experiments/endpoint"
	"github.com/gogarage/garage/experiments/lab"
	"github.com/gogarage/garage/experiments/results"
	"github.com/gogarage/garage/plots/spec"
)

// SuccessGoal is the least success rate of every endpoint while the zone
// is down, in percent.
const SuccessGoal = 99.0

// healLimit bounds the wait for the cluster to heal after the zone
// returns.
const healLimit = 5 * time.Minute

// timeline is the schedule of a run, from the start of the load.
type timeline struct {
	warm, down, after, bucket time.Duration
}

func (tl timeline) end() time.Duration { return tl.warm + tl.down + tl.after }

// Experiment is "zone-failure".
func Experiment() lab.Experiment {
	return lab.Experiment{Name: "zone-failure", Worlds: lab.AllWorlds(), Run: run,
		Summary: "RF 3 over 3 zones under load: one zone down then back; success, latency, time to heal, read-after-write",
		Doc: `Six nodes over 3 zones (RF 3, 100 ms RTT ± 20 ms). Four register clients attached to
the nodes of zones z1 and z2 read, write and remove 8 objects of 256 bytes with
S3 GetObject, PutObject and DeleteObject requests (50 ms think time, 5 s
request timeout). After 10 s zone z3 goes down (simulator: its nodes
crash; --real: SIGKILL; --target: the file's zone_failure down command, for its
last zone), 30 s later it comes back, and the load runs 30 s more (--quick:
2 s, 4 s, 4 s). zone_failure.csv: per time bucket and endpoint, attempts,
answered, success %, p50 and max latency; phases.csv: the same per phase;
events.csv: when the zone went down and up and when the cluster had healed
(every node sees every other; simulator: every replica of every object equal);
checks.csv: the checker on the history with final reads. Goals: success >= 99 %
per endpoint while the zone is down, 0 read-after-write violations, replicas
converged after the zone returned (simulator).`}
}

func schedule(o lab.Options) timeline {
	return lab.Pick(o, timeline{10 * time.Second, 30 * time.Second, 30 * time.Second, time.Second},
		timeline{2 * time.Second, 4 * time.Second, 4 * time.Second, 500 * time.Millisecond})
}

// topology is six nodes over three zones, RF 3.
func topology() lab.Topology {
	t := lab.Garage5()
	t.Nodes, t.Zones = 6, 3
	return t
}

// events are the times of a run, since the load started (negative: did
// not happen).
type events struct {
	down, up, mesh, replicas time.Duration
}

func run(ctx context.Context, s *lab.Session) error {
	tl := schedule(s.Options)
	describe(s, tl)
	c, err := s.Open(ctx, topology())
	if err != nil {
		return err
	}
	defer c.Close()
	zf, ok := c.(lab.ZoneFaults)
	if !ok {
		return errors.New("the target file gives no [zone_failure] commands: this experiment may not take a zone down")
	}
	zone := failingZone(c)
	l := lab.NewLoad(s.Prefix(), clientNodes(c, zone), map[string]string{"experiment": "zone-failure", "zone": zone})
	s.Param("failing_zone", zone)
	s.Param("clients", len(l.Nodes))
	ev, t0, err := drive(ctx, s, c, zf, zone, l, tl)
	if sc, ok := c.(*lab.SimCluster); ok {
		s.AddVirtual(sc.W.Now())
	}
	if err != nil {
		return err
	}
	rs, err := l.Check()
	if err != nil {
		return err
	}
	return write(s, l, rs, ev, t0, tl, zone)
}

func describe(s *lab.Session, tl timeline) {
	t := topology()
	s.Param("nodes", t.Nodes)
	s.Param("zones", t.Zones)
	s.Param("rf", t.RF)
	s.Param("rtt_ms", lab.Ms(t.RTT))
	s.Param("jitter_ms", lab.Ms(t.Jitter))
	s.Param("warm_s", tl.warm.Seconds())
	s.Param("down_s", tl.down.Seconds())
	s.Param("after_s", tl.after.Seconds())
	s.Param("bucket_s", tl.bucket.Seconds())
}

// failingZone is the last zone of the cluster, in name order.
func failingZone(c lab.Cluster) string {
	var zones []string
	for _, n := range c.Nodes() {
		if !n.Spare && !slices.Contains(zones, n.Zone) {
			zones = append(zones, n.Zone)
		}
	}
	slices.Sort(zones)
	return zones[len(zones)-1]
}

// clientNodes are the storage nodes outside zone: a client of a node that
// goes down fails by construction, whatever the cluster does.
func clientNodes(c lab.Cluster, zone string) []int {
	var out []int
	for i, n := range c.Nodes() {
		if !n.Spare && n.Zone != zone {
			out = append(out, i)
		}
	}
	return out
}

// drive runs the load, the fault and the heal watcher, then the final
// reads; it returns the events and the start of the load.
func drive(ctx context.Context, s *lab.Session, c lab.Cluster, zf lab.ZoneFaults, zone string, l *lab.Load, tl timeline) (events, time.Duration, error) {
	env := c.Env()
	t0 := env.Clock.Mono()
	ev := events{down: -1, up: -1, mesh: -1, replicas: -1}
	var faultErr error
	p := s.Progress(int(tl.end()/tl.bucket), "buckets")
	tasks := append(l.Clients(c, s.Seed, t0+tl.end()),
		func(ctx context.Context) { faultErr = fault(ctx, c, zf, zone, t0, tl, &ev) },
		func(ctx context.Context) { watchHeal(ctx, c, l, t0, tl, &ev) },
		func(ctx context.Context) { tick(ctx, c, p, tl, t0) })
	err := c.Run(tl.end()+healLimit+time.Minute, tasks...)
	p.Finish()
	if err = errors.Join(err, faultErr); err != nil {
		return ev, t0, err
	}
	return ev, t0, c.Run(5*time.Minute, l.Final(c, l.Nodes[0]))
}

// fault takes the zone down after the warm-up and brings it back.
func fault(ctx context.Context, c lab.Cluster, zf lab.ZoneFaults, zone string, t0 time.Duration, tl timeline, ev *events) error {
	clk := c.Env().Clock
	if err := clk.Sleep(ctx, t0+tl.warm-clk.Mono()); err != nil {
		return err
	}
	ev.down = clk.Mono() - t0
	if err := zf.ZoneDown(ctx, zone); err != nil {
		return fmt.Errorf("zone %s down: %w", zone, err)
	}
	if err := clk.Sleep(ctx, t0+tl.warm+tl.down-clk.Mono()); err != nil {
		return err
	}
	ev.up = clk.Mono() - t0
	if err := zf.ZoneUp(ctx, zone); err != nil {
		return fmt.Errorf("zone %s up: %w", zone, err)
	}
	return nil
}

// tick reports progress once per bucket of the load.
func tick(ctx context.Context, c lab.Cluster, p *results.Progress, tl timeline, t0 time.Duration) {
	clk := c.Env().Clock
	for clk.Mono() < t0+tl.end() {
		if clk.Sleep(ctx, tl.bucket) != nil {
			return
		}
		p.Add(1)
	}
}

// watchHeal polls, from the zone's return, whether every node sees every
// other (mesh) and, in the simulator, whether every replica of every
// object holds the same copy, until both or healLimit.
func watchHeal(ctx context.Context, c lab.Cluster, l *lab.Load, t0 time.Duration, tl timeline, ev *events) {
	clk := c.Env().Clock
	if clk.Sleep(ctx, t0+tl.warm+tl.down-clk.Mono()) != nil {
		return
	}
	sc, sim := c.(*lab.SimCluster)
	for clk.Mono() < t0+tl.warm+tl.down+healLimit {
		if ev.mesh < 0 && meshHealed(ctx, c) {
			ev.mesh = clk.Mono() - t0
		}
		if sim && ev.replicas < 0 && replicasEqual(sc, l) {
			ev.replicas = clk.Mono() - t0
		}
		if ev.up >= 0 && ev.mesh >= 0 && (!sim || ev.replicas >= 0) {
			return
		}
		if clk.Sleep(ctx, 100*time.Millisecond) != nil {
			return
		}
	}
}

// meshHealed reports whether every node answers and sees every node up.
func meshHealed(ctx context.Context, c lab.Cluster) bool {
	if sc, ok := c.(*lab.SimCluster); ok {
		for i, id := range sc.C.IDs {
			if !sc.W.Up(id) || sc.C.Node(i).Cluster().UpPeers() < len(sc.C.IDs)-1 {
				return false
			}
		}
		return true
	}
	for i := range c.Nodes() {
		st, err := c.Admin(i).Status(ctx)
		if err != nil {
			return false
		}
		for _, n := range st.Nodes {
			if !n.Up {
				return false
			}
		}
	}
	return true
}

func replicasEqual(sc *lab.SimCluster, l *lab.Load) bool {
	d, err := sc.ObjectCopies(l.ObjectKeys())
	return err == nil && checker.Convergence(d).OK
}

// zoneTitle is the figure's title.
func zoneTitle(zone string) string {
	return fmt.Sprintf("Zone %s down under load — 6 nodes, 3 zones, RF 3, RTT 100 ± 20 ms", zone)
}

func figure(zone string) spec.Figure {
	return spec.Figure{Name: "zone-failure", Data: "zone_failure.csv", Output: spec.Output{HeightCM: 14},
		TimeSeries: &spec.TimeSeries{
			Title: zoneTitle(zone), X: "t_s", Series: "endpoint",
			SeriesOrder: endpoint.Strings([]endpoint.Name{endpoint.GetObject, endpoint.PutObject, endpoint.RemoveObject}),
			XAxis:       spec.Axis{Label: "Time since the load started", Unit: "s"},
			Panels: []spec.Panel{
				{Y: "success_pct", YAxis: spec.Axis{Label: "Success", Unit: "%", Min: ptr(0), Max: ptr(105)}},
				{Y: "p50_ms", YAxis: spec.Axis{Label: "Median latency", Unit: "ms", Min: ptr(0)}},
				{Y: "max_ms", YAxis: spec.Axis{Label: "Max latency", Unit: "ms", Min: ptr(0)}},
			},
			WindowData: &spec.WindowTable{Data: "faults.csv", Start: "start_s", End: "end_s", Label: "label"},
		}}
}

func ptr(f float64) *float64 { return &f }
