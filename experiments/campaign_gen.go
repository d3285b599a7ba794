package experiments

import (
	"time"

	fuzz "github.com/google/gofuzz"

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
func fillRegister(wl *RegisterWorkload, c fuzz.Continue) {
	b := bounds()
	*wl = RegisterWorkload{Clients: b.clients.draw(c), Keys: b.keys.draw(c), OpsPerClient: b.ops.draw(c),
		Think: time.Duration(b.thinkMs.draw(c)) * time.Millisecond, ReadFrac: fraction(c, 0.3, 0.6),
		DeleteFrac: fraction(c, 0, 0.15), ValueSize: b.value.draw(c), OpTimeout: 5 * time.Second}
}

// fillSet is gofuzz's bounded filler of a set workload.
func fillSet(wl *SetWorkload, c fuzz.Continue) {
	b := bounds()
	*wl = SetWorkload{Clients: b.clients.draw(c), OpsPerClient: b.setOps.draw(c), PageSize: b.page.draw(c),
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

// CampaignOptions are the knobs a campaign applies to every generated run.
type CampaignOptions struct {
	Mode            table.Mode
	NaiveTimestamps bool
	Fsync           bool // metadata_fsync: commits durable at once
	// SingleVersionLayout is the negative control of multi-version
	// layouts (set workload, layout nemesis).
	SingleVersionLayout bool
}

// GenScenario is the scenario of one campaign run: five nodes over three
// zones (plus three spares without a role for the layout nemesis), RF 3,
// 100 ms RTT ± 20 ms, and workload parameters and fault timing drawn from
// seed by gofuzz with bounded fillers. The same seed,
// workload, nemesis and options always give the same scenario.
func GenScenario(seed uint64, workload, nem string, o CampaignOptions) Scenario {
	sc := Scenario{RegisterConfig: DefaultRegisterConfig(seed), WorkloadName: workload, Nemesis: nem, Fsync: o.Fsync,
		SingleVersionLayout: o.SingleVersionLayout}
	sc.Zones, sc.Mode, sc.NaiveTimestamps = 3, o.Mode, o.NaiveTimestamps
	if workload == WorkloadSet && nem == "layout" {
		sc.Nodes, sc.Spares = sc.Nodes+3, 3 // one spare per zone to move the set to
	}
	f := fillers(fuzz.NewWithSeed(int64(seed)))
	f.Fuzz(&sc.RegisterConfig.Workload)
	f.Fuzz(&sc.Set)
	f.Fuzz(&sc.Timing)
	if nem == "layout" { // changes are instant: one every 0.3–1 s, over a longer workload
		sc.Timing.HoldMin, sc.Timing.HoldMax = 100*time.Millisecond, 200*time.Millisecond
		sc.Timing.GapMin, sc.Timing.GapMax = 200*time.Millisecond, 800*time.Millisecond
		sc.Set.OpsPerClient *= 2
	}
	return sc
}

// scenarioGenes is the fuzz target's view of a scenario: everything a fuzz
// input decides.
type scenarioGenes struct {
	Seed                uint64
	Nodes, Zones        uint8
	RTTms               uint8
	Set                 bool
	Nemesis             uint8
	Register            RegisterWorkload
	SetLoad             SetWorkload
	Timing              nemesis.Timing
	InitialSkew         bool
	SkewSeconds, Spread uint8
}

// FuzzedScenario turns fuzz bytes into a scenario through gofuzz: topology
// (3–7 nodes over 1–3 zones, RF 3, 2–200 ms RTT), workload and its
// parameters, nemesis class and schedule shape, seed of the run. The
// configuration is always the safe one (consistent mode, the real
// timestamp rule, metadata fsync): every gating violation it finds is a
// bug.
func FuzzedScenario(data []byte, classes []string) Scenario {
	var g scenarioGenes
	fillers(fuzz.NewFromGoFuzz(data)).Fuzz(&g)
	sc := Scenario{RegisterConfig: DefaultRegisterConfig(g.Seed), WorkloadName: WorkloadRegister,
		Nemesis: classes[int(g.Nemesis)%len(classes)], Fsync: true, Set: g.SetLoad, Timing: g.Timing}
	sc.Nodes = 3 + int(g.Nodes)%5
	sc.Zones = 1 + int(g.Zones)%3
	sc.RTT = time.Duration(2+int(g.RTTms)%199) * time.Millisecond
	sc.Jitter = sc.RTT * time.Duration(g.Spread%5) / 10
	sc.Workload = g.Register
	if g.Set {
		sc.WorkloadName = WorkloadSet
	}
	if g.InitialSkew {
		sc.Skew = time.Duration(g.SkewSeconds%30) * time.Second
	}
	return sc
}
