package experiments

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/gogarage/garage/checker"
	"github.com/gogarage/garage/netem"
	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/node/table"
	"github.com/gogarage/garage/sim"
)

// RegisterConfig describes one run of the register scenario.
type RegisterConfig struct {
	Seed     uint64
	Nodes    int // cluster size (5)
	Zones    int // zones the nodes are spread over (1: all in one)
	RF       int // replication factor (3)
	Mode     table.Mode
	RTT      time.Duration // inter-node round trip (100 ms)
	Jitter   time.Duration // ± jitter on the RTT (20 ms)
	Workload RegisterWorkload
	// NaiveTimestamps is the negative control of the timestamp rule.
	NaiveTimestamps bool
	// Skew, if non-zero, offsets each node's wall clock by a value drawn
	// uniformly from [-Skew, +Skew] (simulator only).
	Skew time.Duration
	// Setup, if set, runs after the world is built and before the workload
	// (nemesis schedules, clock skew, partitions).
	Setup func(w *sim.World)
}

// DefaultRegisterConfig is the register scenario of the quick start: five
// nodes, RF 3, 100 ms RTT ± 20 ms, as in Garage's latency talk.
func DefaultRegisterConfig(seed uint64) RegisterConfig {
	return RegisterConfig{Seed: seed, Nodes: 5, Zones: 1, RF: 3, Mode: table.Consistent,
		RTT: 100 * time.Millisecond, Jitter: 20 * time.Millisecond, Workload: DefaultRegisterWorkload()}
}

// RegisterResult is what a register run produced.
type RegisterResult struct {
	Seed      uint64
	TraceHash uint64
	Steps     uint64
	Virtual   time.Duration // virtual time simulated
	Wall      time.Duration // real time it took
	Ops       []Op
	History   checker.History
}

// nodeIDs names the simulated nodes n1…nN.
func nodeIDs(n int) []rt.NodeID {
	ids := make([]rt.NodeID, n)
	for i := range ids {
		ids[i] = rt.NodeID(fmt.Sprintf("n%d", i+1))
	}
	return ids
}

// bootRegister sets up the network of w and adds the nodes, each booting
// the register store. stores[i] always points at the current incarnation
// of node i's store.
func bootRegister(cfg RegisterConfig, w *sim.World) ([]rt.NodeID, []*table.Store) {
	ids, stores, _ := bootRegisterWith(cfg, w, nil)
	return ids, stores
}

// bootRegisterWith is bootRegister with more to boot on each node: also(i,
// env) runs after the register store of node i is created, at every boot.
func bootRegisterWith(cfg RegisterConfig, w *sim.World, also func(i int, env rt.Env)) ([]rt.NodeID, []*table.Store, *table.Ring) {
	model := w.Network()
	model.SetRTT(netem.AllLinks(), cfg.RTT)
	model.SetJitter(netem.AllLinks(), netem.Uniform{Width: cfg.Jitter / 2})
	ids := nodeIDs(cfg.Nodes)
	stores := make([]*table.Store, len(ids))
	ring := &table.Ring{Nodes: ids, RF: cfg.RF, Mode: cfg.Mode}
	opts := table.Options{NaiveTimestamps: cfg.NaiveTimestamps}
	for i, id := range ids {
		w.AddNode(id, cfg.zone(i), func(env rt.Env) {
			stores[i] = table.New(env, ring, opts)
			if also != nil {
				also(i, env)
			}
		})
	}
	return ids, stores, ring
}

// zone names the zone of node i: z1…zN round-robin.
func (cfg RegisterConfig) zone(i int) string { return fmt.Sprintf("z%d", i%max(cfg.Zones, 1)+1) }

// SimConfig is the world configuration of a register run.
func (cfg RegisterConfig) SimConfig() sim.Config {
	return sim.Config{Seed: cfg.Seed, Scenario: "register"}
}

// DriveRegister builds the register scenario in w and runs it to the end.
func DriveRegister(cfg RegisterConfig, w *sim.World) (*History, error) {
	ids, stores := bootRegister(cfg, w)
	booted := func() bool { return !slices.Contains(stores, nil) }
	if err := w.RunUntil(booted, time.Second); err != nil {
		return nil, fmt.Errorf("boot: %w", err)
	}
	skewClocks(w, ids, cfg.Skew)
	if cfg.Setup != nil {
		cfg.Setup(w)
	}
	h := NewHistory(map[string]string{"scenario": "register", "seed": fmt.Sprint(cfg.Seed)})
	for c := range cfg.Workload.Clients {
		node := c % len(ids)
		rnd := w.Rand(fmt.Sprintf("client-%d", c))
		w.Go(fmt.Sprintf("client-%d", c), func(ctx context.Context) {
			cfg.Workload.runClient(ctx, c, w.Env(ids[node]), rnd, func() *table.Store { return stores[node] }, h)
		})
	}
	return h, w.Run()
}

// RunRegister runs the register scenario in the simulator.
func RunRegister(cfg RegisterConfig) (RegisterResult, error) {
	start := time.Now()
	w := sim.New(cfg.SimConfig())
	defer w.Close()
	h, err := DriveRegister(cfg, w)
	res := RegisterResult{Seed: cfg.Seed, TraceHash: w.TraceHash(), Steps: w.Steps(),
		Virtual: w.Now(), Wall: time.Since(start)}
	if h != nil {
		res.Ops, res.History = h.Ops(), h.Rec.History()
	}
	return res, err
}

// LockstepRegister runs the register scenario twice in lockstep and returns
// the first diverging step, or nil.
func LockstepRegister(cfg RegisterConfig) (*sim.Divergence, error) {
	return sim.LockstepConfig(cfg.SimConfig(), func(w *sim.World) error {
		_, err := DriveRegister(cfg, w)
		return err
	})
}

// skewClocks offsets each node's wall clock by a draw from [-d, +d].
func skewClocks(w *sim.World, ids []rt.NodeID, d time.Duration) {
	if d <= 0 {
		return
	}
	r := w.Rand("skew")
	for _, id := range ids {
		off := time.Duration((r.Float64()*2 - 1) * float64(d))
		w.Clock(id).SetOffset(off)
	}
}
