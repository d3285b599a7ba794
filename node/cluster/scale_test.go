package cluster

import (
	"context"
	"flag"
	"fmt"
	"maps"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/node/table"
)

var scaleSizes = flag.String("scale", "6,50,250,1000", "cluster sizes of TestMembershipScale (with -long)")

// scaleFigures are the measurements of one cluster size.
type scaleFigures struct {
	N                  int
	MeshV, MeshWall    time.Duration     // boot until every node sees every other up
	ApplyV, ApplyWall  time.Duration     // Apply(1) on n1 until every node has version 1
	BootV, BootWall    time.Duration     // boot until both hold
	SettleV            time.Duration     // then until every node holds the same history
	MsgsPerNodeSec     float64           // membership RPCs sent per node per second, steady state
	BytesPerNodeSec    float64           // their bytes (requests and replies)
	AllMsgsPerNodeSec  float64           // every RPC, tables included
	WallPerSimSec      time.Duration     // wall time per simulated second, steady state
	CPUPerSimSec       time.Duration     // CPU time (user + system) per simulated second
	Ops, Violations    int               // register workload: operations, read-after-write violations
	Errors             int               // operations that failed
	V2V                time.Duration     // Apply(2) until every node has version 2
	DetectFirst        time.Duration     // crash until one node sees the node down
	DetectAll          time.Duration     // crash until every node does
	CountsByEndpointSS map[string]uint64 // steady state
}

// scale is a simulated cluster of n nodes over three zones, each
// bootstrapped with the first node of every zone, running the register
// table, with its traffic counted.
type scale struct {
	*harness
	n       int
	tr      *traffic
	regs    map[rt.NodeID]*registers
	seen    map[rt.NodeID]uint64 // newest layout version each node installed
	reached map[uint64]int       // how many nodes installed each version
}

func newScale(t testing.TB, seed uint64, n int) *scale {
	h := newHarness(t, seed, n, func(c *Config) { c.Bootstrap = seeds(n) })
	s := &scale{harness: h, n: n, tr: newTraffic(), regs: map[rt.NodeID]*registers{},
		seen: map[rt.NodeID]uint64{}, reached: map[uint64]int{}}
	h.wrap = func(env rt.Env) rt.Env { return counted(env, s.tr) }
	h.hook = s.boot
	return s
}

// seeds returns the bootstrap peers: the first node of each zone.
func seeds(n int) []string {
	var out []string
	for i := 1; i <= min(n, 3); i++ {
		out = append(out, fmt.Sprintf("n%d@n%d:3901", i, i))
	}
	return out
}

func (s *scale) boot(env rt.Env, c *Cluster) {
	s.regs[env.ID] = openRegisters(env, c, table.Config{SyncInterval: time.Hour, GCInterval: time.Hour})
	id := env.ID
	c.Subscribe(func(h *layout.History) {
		for v := s.seen[id] + 1; v <= h.Current().Number; v++ {
			s.reached[v]++
		}
		s.seen[id] = max(s.seen[id], h.Current().Number)
	})
}

// runUntil runs the world in steps of step until cond holds, failing after
// deadline, and returns the virtual and wall time taken.
func (s *scale) runUntil(what string, step, deadline time.Duration, cond func() bool) (time.Duration, time.Duration) {
	s.t.Helper()
	v0, w0 := s.w.Now(), time.Now()
	for !cond() {
		if s.w.Now()-v0 > deadline {
			s.t.Fatalf("%s: not within %v", what, deadline)
		}
		s.run(step)
	}
	return s.w.Now() - v0, time.Since(w0)
}

// stageAll stages a role for every node on n1 (zones dc1…dc3, 100 GB).
func (s *scale) stageAll() {
	c := s.cs["n1"]
	s.do(func(context.Context) {
		for i, id := range s.ids {
			if err := c.StageRole(id, layoutRole(i+1)); err != nil {
				s.t.Error(err)
			}
		}
	})
}

// apply applies version v on n1 and returns the time until every node
// installed it.
func (s *scale) apply(v uint64) (time.Duration, time.Duration) {
	v0, w0 := s.w.Now(), time.Now()
	c := s.cs["n1"]
	s.do(func(context.Context) {
		if _, err := c.Apply(v); err != nil {
			s.t.Fatalf("apply %d: %v", v, err)
		}
	})
	s.runUntil(fmt.Sprintf("version %d everywhere", v), 10*time.Millisecond, 5*time.Minute,
		func() bool { return s.reached[v] == s.n })
	return s.w.Now() - v0, time.Since(w0)
}

// steady counts the traffic of d of steady state.
func (s *scale) steady(f *scaleFigures, d time.Duration) {
	s.tr.reset()
	w0, c0 := time.Now(), cpuTime()
	s.run(d)
	wall, cpu := time.Since(w0), cpuTime()-c0
	per := float64(s.n) * d.Seconds()
	f.MsgsPerNodeSec = float64(s.tr.cluster) / per
	f.BytesPerNodeSec = float64(s.tr.clusterBytes) / per
	f.AllMsgsPerNodeSec = float64(s.tr.all) / per
	f.WallPerSimSec = time.Duration(float64(wall) / d.Seconds())
	f.CPUPerSimSec = time.Duration(float64(cpu) / d.Seconds())
	f.CountsByEndpointSS = maps.Clone(s.tr.byEndpoint)
}

// workload runs clients that each write keys of their own through a
// random node and read them back through another: every read must see the
// client's last acknowledged write.
func (s *scale) workload(f *scaleFigures, clients, rounds int) {
	r := s.w.Rand("workload")
	done := 0
	for cl := range clients {
		s.w.Go(fmt.Sprintf("client-%d", cl), func(ctx context.Context) {
			defer func() { done++ }()
			last := map[string]string{}
			for i := range rounds {
				key, val := fmt.Sprintf("c%d-k%d", cl, i%7), fmt.Sprintf("c%d-v%d", cl, i)
				w, rd := s.regs[s.ids[r.IntN(s.n)]], s.regs[s.ids[r.IntN(s.n)]]
				f.Ops += 2
				if err := w.put(ctx, key, val); err != nil {
					f.Errors++
					delete(last, key) // unknown outcome
					continue
				}
				last[key] = val
				got, err := rd.get(ctx, key)
				switch {
				case err != nil:
					f.Errors++
				case got != last[key]:
					f.Violations++
					s.t.Errorf("client %d: get %s = %q after put %q", cl, key, got, last[key])
				}
			}
		})
	}
	s.runUntil("workload", 100*time.Millisecond, 10*time.Minute, func() bool { return done == clients })
}

// sameView reports whether every node holds the same versions of every
// member's record (equal status sums).
func (s *scale) sameView() bool {
	if !s.booted() {
		return false
	}
	up := s.up()
	want := up[0].sum()
	for _, c := range up[1:] {
		if c.sum() != want {
			return false
		}
	}
	return true
}

// detect crashes a node and measures until one, then every other node
// sees it down.
func (s *scale) detect(f *scaleFigures) {
	victim := s.ids[s.n/2]
	s.crash(victim)
	v0 := s.w.Now()
	seesDown := func(c *Cluster) bool { return c == nil || !c.isUp(victim) }
	s.runUntil("first detection", 50*time.Millisecond, 2*time.Minute, func() bool {
		for _, c := range s.up() {
			if c != nil && !c.isUp(victim) {
				return true
			}
		}
		return false
	})
	f.DetectFirst = s.w.Now() - v0
	s.runUntil("detection everywhere", 50*time.Millisecond, 2*time.Minute, func() bool { return s.all(seesDown) })
	f.DetectAll = s.w.Now() - v0
}

func runScale(t *testing.T, seed uint64, n int) scaleFigures {
	s := newScale(t, seed, n)
	f := scaleFigures{N: n}
	for _, step := range []struct {
		name string
		run  func()
	}{
		{"boot and apply v1", func() { s.bootAndApply(&f) }},
		{"settle", func() { f.SettleV = s.settle() }},
		{"steady state", func() { s.steady(&f, time.Minute) }},
		{"register workload", func() { s.workload(&f, 5, 40) }},
		{"apply v2", func() { f.V2V = s.changeCapacity() }},
		{"failure detection", func() { s.detect(&f) }},
	} {
		v0, w0 := s.w.Now(), time.Now()
		s.tr.reset()
		step.run()
		t.Logf("n=%d %s: %v virtual, %v wall, RPCs %v", n, step.name, rd(s.w.Now()-v0), rd(time.Since(w0)), s.tr.byEndpoint)
	}
	return f
}

// bootAndApply runs until every node sees every other up, has n1 apply a
// layout of every node, and runs until every node has it and sees every
// other up.
func (s *scale) bootAndApply(f *scaleFigures) {
	w0 := time.Now()
	f.MeshV, f.MeshWall = s.runUntil("full mesh", 250*time.Millisecond, 10*time.Minute, s.meshed)
	s.stageAll()
	f.ApplyV, f.ApplyWall = s.apply(1)
	s.runUntil("full mesh at version 1", 250*time.Millisecond, 10*time.Minute, s.meshed)
	f.BootV, f.BootWall = s.w.Now(), time.Since(w0)
}

// settle runs until every node holds the same history and the same view
// of the members, then 10 s more, and returns the time to the former.
func (s *scale) settle() time.Duration {
	v, _ := s.runUntil("one history", 250*time.Millisecond, 10*time.Minute, s.converged)
	s.runUntil("one view of the members", time.Second, 10*time.Minute, s.sameView)
	s.run(10 * time.Second)
	return v
}

// changeCapacity doubles n2's capacity, applies version 2 and returns the
// time until every node has it.
func (s *scale) changeCapacity() time.Duration {
	c := s.cs["n1"]
	s.do(func(context.Context) {
		if err := c.StageRole("n2", layout.StorageRole(zoneOf(2), 200*gb)); err != nil {
			s.t.Error(err)
		}
	})
	v, _ := s.apply(2)
	return v
}

// TestMembershipScale boots clusters of the -scale sizes (with -long) and
// prints the figures of the membership layer: boot, layout propagation,
// steady-state traffic, wall time per simulated second, the register
// workload and failure detection.
func TestMembershipScale(t *testing.T) {
	if !*long {
		t.Skip("run with -long")
	}
	var rows []scaleFigures
	for _, s := range strings.Split(*scaleSizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			t.Fatalf("bad -scale size %q", s)
		}
		f := runScale(t, 1, n)
		t.Logf("n=%d: %+v", n, f)
		rows = append(rows, f)
	}
	t.Log("\n" + scaleTable(rows))
}

func scaleTable(rows []scaleFigures) string {
	var b strings.Builder
	b.WriteString("| N | mesh virt / wall | apply v1 virt / wall | boot virt / wall | settle virt | msgs/node/s | bytes/node/s | all RPCs/node/s | wall (CPU) per sim s | register ops (viol., errors) | v2 to all | detect first / all |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, f := range rows {
		fmt.Fprintf(&b, "| %d | %v / %v | %v / %v | %v / %v | %v | %.2f | %.0f | %.2f | %v (%v) | %d (%d, %d) | %v | %v / %v |\n",
			f.N, rd(f.MeshV), rd(f.MeshWall), rd(f.ApplyV), rd(f.ApplyWall), rd(f.BootV), rd(f.BootWall),
			rd(f.SettleV), f.MsgsPerNodeSec, f.BytesPerNodeSec, f.AllMsgsPerNodeSec, f.WallPerSimSec.Round(time.Microsecond), f.CPUPerSimSec.Round(time.Microsecond),
			f.Ops, f.Violations, f.Errors, rd(f.V2V), rd(f.DetectFirst), rd(f.DetectAll))
	}
	return b.String()
}

// cpuTime returns the CPU time the process used so far (user and
// system), less sensitive than wall time to other load on the machine.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func rd(d time.Duration) time.Duration { return d.Round(time.Millisecond) }

// scaleTrace boots 50 nodes from three seeds, applies a layout over three
// zones, runs the register workload and returns the trace hash.
func scaleTrace(t *testing.T, seed uint64) uint64 {
	s := newScale(t, seed, 50)
	s.runUntil("full mesh", 250*time.Millisecond, 5*time.Minute, s.meshed)
	s.stageAll()
	s.apply(1)
	var f scaleFigures
	s.workload(&f, 2, 10)
	s.run(10 * time.Second)
	return s.w.TraceHash()
}

func TestScaleDeterministicTrace(t *testing.T) {
	if testing.Short() {
		t.Skip("boots 150 nodes in all")
	}
	a, b, c := scaleTrace(t, 21), scaleTrace(t, 21), scaleTrace(t, 22)
	t.Logf("50 nodes: trace hash seed 21: %016x, seed 22: %016x", a, c)
	if a != b {
		t.Errorf("seed 21 gave trace hashes %016x and %016x", a, b)
	}
	if a == c {
		t.Errorf("seeds 21 and 22 gave the same trace hash %016x", a)
	}
}
