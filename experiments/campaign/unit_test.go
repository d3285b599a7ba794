package campaign

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gogarage/garage/experiments/workload"
	"github.com/gogarage/garage/node/table"
	"github.com/gogarage/garage/sim"
)

func TestParseSeeds(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    []uint64
		wantErr bool
	}{
		{"7", []uint64{7}, false},
		{"1-3", []uint64{1, 2, 3}, false},
		{"1,5,9-10", []uint64{1, 5, 9, 10}, false},
		{"3-1", nil, true},
		{"x", nil, true},
		{"4x", nil, true},
		{"", nil, true},
	} {
		got, err := ParseSeeds(tc.in)
		if (err != nil) != tc.wantErr || !slices.Equal(got, tc.want) {
			t.Errorf("ParseSeeds(%q) = %v, %v; want %v (error %v)", tc.in, got, err, tc.want, tc.wantErr)
		}
	}
}

// TestGenScenarioIsBoundedAndReplays is a property over many seeds: the
// same seed gives the same scenario, and every parameter is in its bounds.
func TestGenScenarioIsBoundedAndReplays(t *testing.T) {
	b := bounds()
	in := func(s span, v int) bool { return v >= s.lo && v <= s.hi }
	distinct := map[workload.RegisterWorkload]bool{}
	for seed := range uint64(2000) {
		sc := Gen(seed, WorkloadRegister, "partition", Options{})
		if again := Gen(seed, WorkloadRegister, "partition", Options{}); !reflect.DeepEqual(sc, again) {
			t.Fatalf("seed %d: two different scenarios", seed)
		}
		r, s := sc.Register, sc.Set
		if !in(b.clients, r.Clients) || !in(b.keys, r.Keys) || !in(b.ops, r.OpsPerClient) || !in(b.value, r.ValueSize) ||
			r.ReadFrac < 0.3 || r.ReadFrac > 0.6 || r.Think < 5*time.Millisecond || r.Think > 50*time.Millisecond {
			t.Fatalf("seed %d: register workload out of bounds: %+v", seed, r)
		}
		if !in(b.clients, s.Clients) || !in(b.setOps, s.OpsPerClient) || !in(b.page, s.PageSize) {
			t.Fatalf("seed %d: set workload out of bounds: %+v", seed, s)
		}
		if sc.Timing.GapMin <= 0 || sc.Timing.GapMax < sc.Timing.GapMin || sc.Timing.HoldMax < sc.Timing.HoldMin {
			t.Fatalf("seed %d: bad timing %+v", seed, sc.Timing)
		}
		distinct[r] = true
	}
	if len(distinct) < 1900 {
		t.Errorf("only %d distinct register workloads over 2000 seeds", len(distinct))
	}
}

func TestScenarioReplaysBitForBit(t *testing.T) {
	for _, wl := range []string{WorkloadRegister, WorkloadSet} {
		sc := Gen(5, wl, "all", Options{Fsync: true})
		a, errA := Run(sc)
		b, errB := Run(sc)
		if errA != nil || errB != nil {
			t.Fatal(errA, errB)
		}
		if a.TraceHash != b.TraceHash || a.OpCount != b.OpCount || a.Events != b.Events {
			t.Errorf("%s: runs differ: %x/%d/%d vs %x/%d/%d", wl, a.TraceHash, a.OpCount, a.Events, b.TraceHash, b.OpCount, b.Events)
		}
		if c, _ := Run(Gen(6, wl, "all", Options{Fsync: true})); c.TraceHash == a.TraceHash {
			t.Errorf("%s: seeds 5 and 6 share a trace hash", wl)
		}
	}
}

func TestScenarioLockstep(t *testing.T) {
	d, err := Lockstep(Gen(3, WorkloadSet, "all", Options{Fsync: true}))
	if err != nil || d != nil {
		t.Fatalf("lockstep: %v, %v", d, err)
	}
}

// TestScenarioRecordsBothPhases checks the shape of a run's history: nemesis
// events with a final heal, final reads of every key after it, and replica
// digests that were compared.
func TestScenarioRecordsBothPhases(t *testing.T) {
	res, err := Run(Gen(2, WorkloadRegister, "crash", Options{Fsync: true}))
	if err != nil {
		t.Fatal(err)
	}
	h := res.History
	heal := h.Nemeses[len(h.Nemeses)-1]
	if heal.Kind != "heal" || len(h.Nemeses) < 3 {
		t.Fatalf("nemesis events %v, want faults then a final heal", h.Nemeses)
	}
	finals := map[string]bool{}
	for _, o := range h.Ops {
		if o.Final {
			finals[o.Key] = true
			if o.Call < heal.Stamp {
				t.Errorf("final op %v invoked before the heal", o.ID)
			}
		}
	}
	if len(finals) != res.Scenario.Register.Keys {
		t.Errorf("final reads of %d keys, want %d", len(finals), res.Scenario.Register.Keys)
	}
	last := res.Results[len(res.Results)-1]
	if last.Name != "convergence" || last.Checked != len(finals) {
		t.Errorf("convergence result %v, want one partition per key", last)
	}
}

func TestCampaignWritesHTMLAndReplay(t *testing.T) {
	dir := t.TempDir()
	opts := Options{Fsync: true, Mode: table.Dangerous}
	c := Campaign{Seeds: []uint64{1, 2, 3}, Workloads: []string{WorkloadRegister}, Nemeses: []string{"partition"},
		Options: opts, Parallel: 2, HTMLDir: dir}
	outs := c.Run(nil)
	failed := 0
	for _, o := range outs {
		if !o.Failed() {
			continue
		}
		failed++
		if len(o.HTML) == 0 {
			t.Errorf("%s failed without a history file", o.Name())
		}
		for _, f := range o.HTML {
			if b, err := os.ReadFile(f); err != nil || !strings.Contains(string(b), "<html") || filepath.Dir(f) != dir {
				t.Errorf("history %s: %v", f, err)
			}
		}
		want := "go run ./cmd/garage-sim run --workload register --seed " + itoa(o.Seed) + " --nemesis partition --mode dangerous"
		if got := o.Replay(opts); got != want {
			t.Errorf("replay = %q, want %q", got, want)
		}
	}
	if failed == 0 {
		t.Error("dangerous mode under partition failed no run of three")
	}
}

func itoa(n uint64) string { return strconv.FormatUint(n, 10) }

// TestSetPages drives the set of an assembled node by hand: pages of the
// debug table's range reads skip removed elements and resume after the
// cursor.
func TestSetPages(t *testing.T) {
	sc := Gen(1, WorkloadSet, "none", Options{Fsync: true}).withDefaults()
	w := sim.New(sc.simConfig())
	defer w.Close()
	run, err := boot(sc, w)
	if err != nil {
		t.Fatal(err)
	}
	s := run.client(2)
	var pages [][]string
	w.Go("test", func(ctx context.Context) {
		for _, e := range []string{"c00-e001", "c01-e000", "c01-e003", "c02-e002"} {
			if err := s.Add(ctx, "s0", e); err != nil {
				t.Error(err)
			}
		}
		if err := s.Remove(ctx, "s0", "c01-e000"); err != nil {
			t.Error(err)
		}
		for cursor := ""; ; {
			elems, next, err := s.ListPage(ctx, "s0", cursor, 2)
			if err != nil {
				t.Error(err)
				return
			}
			pages = append(pages, elems)
			if next == "" {
				return
			}
			cursor = next
		}
	})
	if err := w.RunFor(time.Minute); err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(pages)
	if want := "[[c00-e001 c01-e003] [c02-e002]]"; got != want {
		t.Errorf("pages %s, want %s", got, want)
	}
}
