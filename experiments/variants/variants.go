package variants

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/gogarage/garage/experiments/campaign"
	"github.com/gogarage/garage/experiments/endpoint"
	"github.com/gogarage/garage/experiments/lab"
	"github.com/gogarage/garage/experiments/latency"
	"github.com/gogarage/garage/experiments/results"
	"github.com/gogarage/garage/node/block"
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
	bs := func(n int) func(*lab.Topology) { return func(t *lab.Topology) { t.Block.BlockSize = n } }
	zstd := func(l int) func(*lab.Topology) { return func(t *lab.Topology) { t.Block.Compression = l } }
	return []Variant{
		{"ts", "redo", func(*lab.Topology) {}},
		{"ts", "no-redo", func(t *lab.Topology) { t.Controls.NoTimestampRedo = true }},
		{"mode", "consistent", mode(table.Consistent)}, {"mode", "degraded", mode(table.Degraded)},
		{"mode", "dangerous", mode(table.Dangerous)},
		{"rf", "3", rf(3)}, {"rf", "1", rf(1)}, {"rf", "2", rf(2)}, {"rf", "5", rf(5)},
		{"partitions", "256", bits(8)}, {"partitions", "64", bits(6)}, {"partitions", "16", bits(4)},
		{"block", "1MiB", bs(1 << 20)}, {"block", "256KiB", bs(256 << 10)}, {"block", "4MiB", bs(4 << 20)},
		{"compression", "zstd-1", zstd(1)}, {"compression", "none", zstd(block.CompressionOff)},
		{"compression", "zstd-9", zstd(9)},
	}
}

// Experiment is "variants".
func Experiment() lab.Experiment {
	return lab.Experiment{Name: "variants", Worlds: []results.World{results.Sim}, Run: run,
		Summary: "design switches side by side on the same seeds: timestamp redo, mode, RF, partitions, block size, compression",
		Doc: `Each variant changes one switch of the latency experiment's cluster (5 nodes,
100 ms RTT ± 20 ms, links of 100 Mbit/s, RF 3, consistent mode, 256 partitions,
1 MiB blocks, zstd level 1): timestamp strategy (ts=redo: an object write at the
coordinator's clock is redone at newest + 1 when a replica reports a newer
version; ts=no-redo: it keeps its timestamp), consistency mode (consistent,
degraded, dangerous), replication factor (3, 1, 2, 5), partitions (256, 64,
16), block size (1 MiB, 256 KiB, 4 MiB), compression (zstd level 1, none, zstd
level 9). Per variant, all through S3: the latency measurement (50 rounds,
--quick 10) with the bytes the simulated network delivered per request; large
objects (10 rounds, --quick 2, of a PutObject then a GetObject of a 4 MiB
compressible log) with their latency, the bytes stored on all nodes and the
bytes on the wire per object; and a campaign of the s3 workload (bodies of
16 B to 5 MiB, multipart uploads, reads that check the body) under partition,
clock and crash faults (seeds 1–5), counting runs in which the checker found a
violation (--quick: the s3-list workload, seed 1, clock faults). The defaults
of the switches are one cluster, measured once.`}
}

// params are the sizes of a run.
type params struct {
	rounds   endpoint.Rounds
	large    int
	workload string
	seeds    []uint64
	nemeses  []string
}

func paramsOf(o lab.Options) params {
	r := latency.Rounds(o)
	r.N = lab.Pick(o, 50, 10)
	if o.Samples > 0 {
		r.N = o.Samples
	}
	return params{rounds: r, large: lab.Pick(o, 10, 2), workload: lab.Pick(o, campaign.WorkloadS3, campaign.WorkloadS3List),
		seeds: lab.Pick(o, []uint64{1, 2, 3, 4, 5}, []uint64{1}), nemeses: lab.Pick(o, []string{"partition", "clock", "crash"}, []string{"clock"})}
}

// bandwidth is the rate of every link of the variants' clusters: 100
// Mbit/s, so that the bytes of large objects take time on the wire.
const bandwidth = 100e6 / 8

// topology is the variants' base cluster.
func topology() lab.Topology {
	t := lab.Garage5()
	t.Bandwidth = bandwidth
	return t
}

// result is one variant's measurements.
type result struct {
	v          Variant
	m          latency.Measurement
	wire       int64
	requests   int
	large      largeResult
	violations map[string][2]int // nemesis -> runs, failed runs
}

func run(ctx context.Context, s *lab.Session) error {
	p := paramsOf(s.Options)
	s.Param("samples", p.rounds.N)
	s.Param("large_rounds", p.large)
	s.Param("large_object_bytes", largeSize)
	s.Param("link_bandwidth_bytes_per_s", bandwidth)
	s.Param("seeds", len(p.seeds))
	s.Param("nemeses", p.nemeses)
	vs := Variants()
	prog := s.Progress(len(vs)*(1+len(p.seeds)*len(p.nemeses)), "steps")
	defer prog.Finish()
	var rs []result
	for i, v := range vs {
		if i > 0 && isDefault(vs, i) { // every default is the base cluster: measured once
			r := rs[0]
			r.v = v
			rs = append(rs, r)
			prog.Add(1 + len(p.seeds)*len(p.nemeses))
			continue
		}
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

// isDefault reports whether vs[i] is the first value of its switch.
func isDefault(vs []Variant, i int) bool { return i == 0 || vs[i-1].Switch != vs[i].Switch }

func measure(s *lab.Session, v Variant, p params, step func()) (result, error) {
	t := topology()
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
	r := result{v: v, m: m, wire: c.W.Network().Stats().Bytes - before, requests: len(m.Ops)}
	if r.large, err = measureLarge(c, p.large); err != nil {
		return result{}, fmt.Errorf("large objects: %w", err)
	}
	s.AddVirtual(c.W.Now())
	step()
	r.violations = campaignOf(s, v, p, step)
	return r, nil
}

// campaignOf runs the variant's campaign: the s3 workload under each
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
				res, err := campaign.Run(scenario(v, p.workload, jobs[i].seed, jobs[i].nem))
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

// scenario is the campaign's scenario of workload wl for seed and nemesis
// with v's switch applied to its cluster.
func scenario(v Variant, wl string, seed uint64, nem string) campaign.Scenario {
	sc := campaign.Gen(seed, wl, nem, campaign.Options{Fsync: true})
	t := lab.Topology{RF: sc.Cluster.RF, Mode: sc.Cluster.Mode, Controls: sc.Cluster.Controls,
		Membership: sc.Cluster.Membership, Block: sc.Cluster.Block}
	v.apply(&t)
	sc.Cluster.RF, sc.Cluster.Mode, sc.Cluster.Controls, sc.Cluster.Membership = t.RF, t.Mode, t.Controls, t.Membership
	sc.Cluster.Block = t.Block
	return sc
}

// largeSize is the size of the large objects.
const largeSize = 4 << 20

// largeTimeout bounds each large request.
const largeTimeout = 5 * time.Minute
