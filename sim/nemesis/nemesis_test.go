package nemesis

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gogarage/garage/sim"
)

func TestRegistryNamesAndLookup(t *testing.T) {
	reg := NewRegistry()
	for _, want := range []string{"none", "partition", "zone", "crash", "pause", "clock", "net", "disk", "all",
		"partition-halves", "partition-ring", "partition-bridge"} {
		n, err := reg.Lookup(want)
		if err != nil || n.Name() != want {
			t.Errorf("Lookup(%q) = %v, %v", want, n, err)
		}
	}
	if !slices.IsSorted(reg.Names()) {
		t.Errorf("Names not sorted: %v", reg.Names())
	}
	if _, err := reg.Lookup("meteor"); err == nil || !strings.Contains(err.Error(), `unknown nemesis "meteor" (known: all, clock,`) {
		t.Errorf("Lookup(meteor) error = %v", err)
	}
	got, err := reg.Parse("partition, crash")
	if err != nil || len(got) != 2 || got[0].Name() != "partition" || got[1].Name() != "crash" {
		t.Errorf("Parse = %v, %v", got, err)
	}
	if _, err := reg.Parse("partition,,crash"); err == nil {
		t.Error("Parse accepted an empty name")
	}
}

func TestRegistryAddExtends(t *testing.T) {
	reg := NewRegistry()
	reg.Add(Mix("layout", None{}))
	if n, err := reg.Lookup("layout"); err != nil || n.Name() != "layout" {
		t.Fatalf("added class not found: %v", err)
	}
}

func TestPlanReplaysFromTheSeed(t *testing.T) {
	w := newWorld(t, 1, 5)
	topo := TopologyOf(w)
	plan := func(seed uint64, class string) string {
		n, _ := NewRegistry().Lookup(class)
		var b strings.Builder
		for _, e := range Plan(n, sim.NewRand(seed), topo, 30*time.Second, DefaultTiming()) {
			b.WriteString(e.String() + "\n")
		}
		return b.String()
	}
	for _, class := range NewRegistry().Names() {
		a, b, c := plan(7, class), plan(7, class), plan(8, class)
		if a != b {
			t.Errorf("%s: same seed, different plans:\n%s\n---\n%s", class, a, b)
		}
		if class != "none" && a == c {
			t.Errorf("%s: seeds 7 and 8 gave the same plan:\n%s", class, a)
		}
	}
}

func TestPlanEpisodesFollowTheTiming(t *testing.T) {
	tm := Timing{GapMin: 100 * time.Millisecond, GapMax: time.Second, HoldMin: 200 * time.Millisecond, HoldMax: 3 * time.Second}
	w := newWorld(t, 1, 5)
	for seed := range uint64(200) {
		eps := Plan(Crash{}, sim.NewRand(seed), TopologyOf(w), 20*time.Second, tm)
		if len(eps) == 0 {
			t.Fatalf("seed %d: empty plan over 20 s", seed)
		}
		end := time.Duration(0)
		for _, e := range eps {
			gap := e.At - end
			if gap < tm.GapMin || gap >= tm.GapMax || e.Hold < tm.HoldMin || e.Hold >= tm.HoldMax || e.At >= 20*time.Second {
				t.Fatalf("seed %d: episode %v breaks the timing (gap %v)", seed, e, gap)
			}
			end = e.At + e.Hold
		}
	}
}

func TestRingNeighbours(t *testing.T) {
	for n := 3; n <= 9; n++ {
		for i := range n {
			got := 0
			for j := range n {
				if ringNeighbours(i, j, n) {
					got++
				}
			}
			if got != 2 {
				t.Errorf("n=%d: node %d has %d ring neighbours, want 2", n, i, got)
			}
		}
	}
}

func TestMixDrawsFromItsClasses(t *testing.T) {
	w := newWorld(t, 1, 5)
	m := Mix("m", Crash{}, Clock{})
	r := sim.NewRand(3)
	kinds := map[string]int{}
	for range 200 {
		kinds[m.Draw(r, TopologyOf(w)).Kind]++
	}
	if len(kinds) != 2 || kinds["crash"] == 0 || kinds["clock"] == 0 {
		t.Errorf("kinds drawn = %v, want crash and clock", kinds)
	}
}
