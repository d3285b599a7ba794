package variants

import (
	"context"
	"fmt"
	"runtime"
	"sync"

	"github.com/gogarage/garage/experiments/campaign"
	"github.com/gogarage/garage/experiments/endpoint"
	"github.com/gogarage/garage/experiments/lab"
	"github.com/gogarage/garage/experiments/latency"
	"github.com/gogarage/garage/experiments/results"
	"github.com/gogarage/garage/node/table"
)

// Variant is one setting of one switch.
type Variant struct {
	Switch, Value string
	apply         func(*lab.Topology)
}

// Setting names the variant in tables and figures: "rf=3".
func (v Variant) Setting() string { return v.Switch + "=" + v.Value }

// Variants returns every variant; the first of each switch is the
// default.
func Variants() []Variant {
	mode := func(m table.Mode) func(*lab.Topology) { return func(t *lab.Topology) { t.Mode = m } }
	rf := func(n int) func(*lab.Topology) { return func(t *lab.Topology) { t.RF = n } }
	bits := func(b int) func(*lab.Topology) { return func(t *lab.Topology) { t.Membership.PartitionBits = b } }
	return []Variant{
		{"ts", "read-first", func(*lab.Topology) {}},
		{"ts", "optimistic", func(t *lab.Topology) { t.Controls.NaiveTimestamps = true }},
		{"mode", "consistent", mode(table.Consistent)}, {"mode", "degraded", mode(table.Degraded)},
		{"mode", "dangerous", mode(table.Dangerous)},
		{"rf", "3", rf(3)}, {"rf", "1", rf(1)}, {"rf", "2", rf(2)}, {"rf", "5", rf(5)},
		{"partitions", "256", bits(8)}, {"partitions", "64", bits(6)}, {"partitions", "16", bits(4)},
	}
}

// Experiment is "variants".
func Experiment() lab.Experiment {
	return lab.Experiment{Name: "variants", Worlds: []results.World{results.Sim}, Run: run,
		Summary: "design switches side by side on the same seeds: timestamp strategy, mode, RF, partitions",
		Doc: `Each variant changes one switch of the latency experiment's cluster (5 nodes,
100 ms RTT ± 20 ms, RF 3, consistent mode, 256 partitions): timestamp strategy
(ts=read-first: read the newest timestamp, write max(now, newest + 1);
ts=optimistic: write at now without the read), consistency mode (consistent, degraded, dangerous), replication
factor (3, 1, 2, 5), partitions (256, 64, 16). Per variant: the latency
measurement (50 rounds, --quick 10) with the bytes the simulated network
delivered per request, and a campaign of the register workload under partition,
clock and crash faults (seeds 1–10, --quick 1–2) counting runs in which the
checker found a violation. Block size and compression join when blocks exist.`}
}

// params are the sizes of a run.
type params struct {
	rounds  endpoint.Rounds
	seeds   []uint64
	nemeses []string
}

func paramsOf(o lab.Options) params {
	r := latency.Rounds(o)
	r.N = lab.Pick(o, 50, 10)
	if o.Samples > 0 {
		r.N = o.Samples
	}
	seeds := lab.Pick(o, []uint64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, []uint64{1, 2})
	return params{rounds: r, seeds: seeds, nemeses: []string{"partition", "clock", "crash"}}
}

// result is one variant's measurements.
type result struct {
	v          Variant
	m          latency.Measurement
	wire       int64
	requests   int
	violations map[string][2]int // nemesis -> runs, failed runs
}

func run(ctx context.Context, s *lab.Session) error {
	p := paramsOf(s.Options)
	s.Param("samples", p.rounds.N)
	s.Param("seeds", len(p.seeds))
	s.Param("nemeses", p.nemeses)
	vs := Variants()
	prog := s.Progress(len(vs)*(1+len(p.seeds)*len(p.nemeses)), "steps")
	defer prog.Finish()
	var rs []result
	for _, v := range vs {
		r, err := measure(s, v, p, func() { prog.Add(1) })
		if err != nil {
			return fmt.Errorf("%s: %w", v.Setting(), err)
		}
		rs = append(rs, r)
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	return write(s, rs)
}

func measure(s *lab.Session, v Variant, p params, step func()) (result, error) {
	t := lab.Garage5()
	v.apply(&t)
	c, err := lab.OpenSim(s.Seed, t)
	if err != nil {
		return result{}, err
	}
	defer c.Close()
	before := c.W.Network().Stats().Bytes
	m, err := latency.Measure(c, 0, p.rounds, nil)
	if err != nil {
		return result{}, err
	}
	s.AddVirtual(c.W.Now())
	step()
	r := result{v: v, m: m, wire: c.W.Network().Stats().Bytes - before, requests: len(m.Ops)}
	r.violations = campaignOf(s, v, p, step)
	return r, nil
}

// campaignOf runs the variant's campaign: the register workload under each
// nemesis for every seed, generated as campaigns generate them, with the
// variant's switch applied; it returns per nemesis the runs and the runs
// that failed (or could not finish).
func campaignOf(s *lab.Session, v Variant, p params, step func()) map[string][2]int {
	type job struct {
		seed uint64
		nem  string
	}
	var jobs []job
	for _, n := range p.nemeses {
		for _, seed := range p.seeds {
			jobs = append(jobs, job{seed, n})
		}
	}
	failed := make([]bool, len(jobs))
	var mu sync.Mutex
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.NumCPU() {
		wg.Go(func() {
			for i := range next {
				res, err := campaign.Run(scenario(v, jobs[i].seed, jobs[i].nem))
				mu.Lock()
				failed[i] = err != nil || res.Failed()
				s.AddVirtual(res.Virtual)
				step()
				mu.Unlock()
			}
		})
	}
	for i := range jobs {
		next <- i
	}
	close(next)
	wg.Wait()
	out := map[string][2]int{}
	for i, j := range jobs {
		c := out[j.nem]
		c[0]++
		if failed[i] {
			c[1]++
		}
		out[j.nem] = c
	}
	return out
}

// scenario is the campaign's scenario for seed and nemesis with v's
// switch applied to its cluster.
func scenario(v Variant, seed uint64, nem string) campaign.Scenario {
	sc := campaign.Gen(seed, campaign.WorkloadRegister, nem, campaign.Options{Fsync: true})
	t := lab.Topology{RF: sc.Cluster.RF, Mode: sc.Cluster.Mode, Controls: sc.Cluster.Controls, Membership: sc.Cluster.Membership}
	v.apply(&t)
	sc.Cluster.RF, sc.Cluster.Mode, sc.Cluster.Controls, sc.Cluster.Membership = t.RF, t.Mode, t.Controls, t.Membership
	return sc
}
