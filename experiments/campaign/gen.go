package campaign

import (
	"time"

	fuzz "github.com/google/gofuzz"

	"github.com/gogarage/garage/experiments/simcluster"
	"github.com/gogarage/garage/experiments/workload"
	"github.com/gogarage/garage/node/garage"
	"github.com/gogarage/garage/node/table"
	"github.com/gogarage/garage/sim/nemesis"
)

// genBounds are the ranges of generated workloads: small enough that a
// hundred seeds per nemesis class run in seconds, large enough that faults
// meet traffic.
type genBounds struct {
	clients, keys, ops, setOps, page, thinkMs, value span
}

func bounds() genBounds {
	return genBounds{clients: span{3, 5}, keys: span{1, 3}, ops: span{30, 60}, setOps: span{8, 16},
		page: span{1, 4}, thinkMs: span{5, 50}, value: span{0, 64}}
}

// span is an inclusive integer range for a bounded filler.
type span struct{ lo, hi int }

func (s span) draw(c fuzz.Continue) int { return s.lo + c.Intn(s.hi-s.lo+1) }

func fraction(c fuzz.Continue, lo, hi float64) float64 { return lo + c.Float64()*(hi-lo) }

// fillRegister is gofuzz's bounded filler of a register workload.
func fillRegister(wl *workload.RegisterWorkload, c fuzz.Continue) {
	b := bounds()
	*wl = workload.RegisterWorkload{Clients: b.clients.draw(c), Keys: b.keys.draw(c), OpsPerClient: b.ops.draw(c),
		Think: time.Duration(b.thinkMs.draw(c)) * time.Millisecond, ReadFrac: fraction(c, 0.3, 0.6),
		DeleteFrac: fraction(c, 0, 0.15), ValueSize: b.value.draw(c), OpTimeout: 5 * time.Second}
}

// fillSet is gofuzz's bounded filler of a set workload.
func fillSet(wl *workload.SetWorkload, c fuzz.Continue) {
	b := bounds()
	*wl = workload.SetWorkload{Clients: b.clients.draw(c), OpsPerClient: b.setOps.draw(c), PageSize: b.page.draw(c),
		ListFrac: fraction(c, 0.15, 0.35), RemoveFrac: fraction(c, 0, 0.15),
		Think: time.Duration(b.thinkMs.draw(c)) * time.Millisecond, OpTimeout: 5 * time.Second}
}

// fillTiming is gofuzz's bounded filler of a nemesis schedule shape.
func fillTiming(t *nemesis.Timing, c fuzz.Continue) {
	gap := time.Duration(100+c.Intn(400)) * time.Millisecond
	hold := time.Duration(500+c.Intn(2500)) * time.Millisecond
	*t = nemesis.Timing{GapMin: gap / 2, GapMax: 2 * gap, HoldMin: hold / 2, HoldMax: 2 * hold}
}

func fillers(f *fuzz.Fuzzer) *fuzz.Fuzzer { return f.Funcs(fillRegister, fillSet, fillTiming) }

// Options are the knobs a campaign applies to every generated run: the
// consistency mode, metadata fsync, and the negative controls.
type Options struct {
	Mode     table.Mode
	Fsync    bool // metadata_fsync: commits durable at once
	Controls garage.Controls
}

// campaignTables is the tables' tuning in campaigns: anti-entropy every
// few seconds, so that the liveness phase sees it.
func campaignTables() table.Config {
	return table.Config{SyncInterval: 5 * time.Second, SyncRetry: time.Second}
}

// Gen is the scenario of one campaign run: five nodes over three zones
// (plus three spares without a role when the nemesis changes the layout),
// RF 3, 100 ms RTT ± 20 ms, and workload parameters and fault timing drawn
// from seed by gofuzz with bounded fillers. The same seed, workload,
// nemesis and options always give the same scenario.
func Gen(seed uint64, wl, nem string, o Options) Scenario {
	sc := Default(seed)
	sc.Workload, sc.Nemesis, sc.Fsync = wl, nem, o.Fsync
	sc.Cluster.Zones, sc.Cluster.Mode, sc.Cluster.Controls = 3, o.Mode, o.Controls
	sc.Cluster.Tables = campaignTables()
	sc.Cluster.Block.Fsync = o.Fsync // data_fsync with metadata_fsync: an acknowledged object survives crashes
	if changesLayout(nem) {
		sc.Cluster.Nodes, sc.Cluster.Spares = sc.Cluster.Nodes+3, 3 // one spare per zone
	}
	f := fillers(fuzz.NewWithSeed(int64(seed)))
	f.Fuzz(&sc.Register)
	f.Fuzz(&sc.Set)
	f.Fuzz(&sc.Timing)
	if nem == "layout" { // changes are instant: one every 0.2–0.8 s, over a longer workload
		sc.Timing.HoldMin, sc.Timing.HoldMax = 100*time.Millisecond, 200*time.Millisecond
		sc.Timing.GapMin, sc.Timing.GapMax = 200*time.Millisecond, 800*time.Millisecond
		sc.Set.OpsPerClient *= 2
	}
	if nem == "corrupt" { // bit rot lingers: long holds, short gaps
		sc.Timing.HoldMin, sc.Timing.HoldMax = 2*time.Second, 6*time.Second
		sc.Timing.GapMin, sc.Timing.GapMax = 100*time.Millisecond, 500*time.Millisecond
	}
	return sc
}

func changesLayout(nem string) bool { return nem == "layout" || nem == "all" }

// scenarioGenes is the fuzz target's view of a scenario: everything a fuzz
// input decides.
type scenarioGenes struct {
	Seed                uint64
	Nodes, Zones        uint8
	RTTms               uint8
	Set                 bool
	Nemesis             uint8
	Register            workload.RegisterWorkload
	SetLoad             workload.SetWorkload
	Timing              nemesis.Timing
	InitialSkew         bool
	SkewSeconds, Spread uint8
}

// Fuzzed turns fuzz bytes into a scenario through gofuzz: topology (3–7
// nodes over 1–3 zones, RF 3, 2–200 ms RTT), workload and its parameters,
// nemesis class and schedule shape, seed of the run. The configuration is
// always the safe one (consistent mode, the real timestamp rule, metadata
// fsync): every gating violation it finds is a bug.
func Fuzzed(data []byte, classes []string) Scenario {
	var g scenarioGenes
	fillers(fuzz.NewFromGoFuzz(data)).Fuzz(&g)
	sc := Default(g.Seed)
	sc.Nemesis, sc.Set, sc.Timing, sc.Register = classes[int(g.Nemesis)%len(classes)], g.SetLoad, g.Timing, g.Register
	sc.Cluster = simcluster.Config{Nodes: 3 + int(g.Nodes)%5, Zones: 1 + int(g.Zones)%3, RF: 3,
		RTT: time.Duration(2+int(g.RTTms)%199) * time.Millisecond, Tables: campaignTables()}
	sc.Cluster.Jitter = sc.Cluster.RTT * time.Duration(g.Spread%5) / 10
	if changesLayout(sc.Nemesis) {
		sc.Cluster.Nodes, sc.Cluster.Spares = sc.Cluster.Nodes+3, 3
	}
	if g.Set {
		sc.Workload = WorkloadSet
	}
	if g.InitialSkew {
		sc.Skew = time.Duration(g.SkewSeconds%30) * time.Second
	}
	return sc
}
