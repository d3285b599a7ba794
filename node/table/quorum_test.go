package table

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/sim"
)

// twoVersions is a Layout in transition: every key lives on a, b, c in
// the old version and b, c, d in the new one.
type twoVersions struct{}

func (twoVersions) ReadNodes([]byte) []rt.NodeID { return []rt.NodeID{"b", "c", "d"} }
func (twoVersions) WriteSets([]byte) [][]rt.NodeID {
	return [][]rt.NodeID{{"a", "b", "c"}, {"b", "c", "d"}}
}
func (twoVersions) ReadQuorum() int    { return 2 }
func (twoVersions) WriteQuorum() int   { return 2 }
func (twoVersions) Sharding() Sharding { return Sharding{} }
func (twoVersions) SyncDone(uint64)    {}

func TestPlanCallsEachNodeOnce(t *testing.T) {
	tab := &Table[row]{lay: twoVersions{}}
	p := tab.plan([]row{mkRow("x", "1", 1, "a"), mkRow("y", "2", 1, "b"), mkRow("z", "3", 1, "c")})
	if want := []rt.NodeID{"a", "b", "c", "d"}; !slices.Equal(p.nodes, want) {
		t.Fatalf("nodes %v, want %v", p.nodes, want)
	}
	for i, b := range p.batches {
		if len(b) != 3 {
			t.Errorf("node %s gets %d entries, want 3", p.nodes[i], len(b))
		}
	}
	if got, want := fmt.Sprint(p.sets), "[[0 1 2] [1 2 3]]"; got != want {
		t.Errorf("sets %s, want %s", got, want)
	}
}

func TestPlanSelfLast(t *testing.T) {
	tab := &Table[row]{lay: twoVersions{}}
	for _, tc := range []struct {
		self  rt.NodeID
		nodes []rt.NodeID
		sets  string
	}{
		{"a", []rt.NodeID{"b", "c", "d", "a"}, "[[3 0 1] [0 1 2]]"},
		{"c", []rt.NodeID{"a", "b", "d", "c"}, "[[0 1 3] [1 3 2]]"},
		{"d", []rt.NodeID{"a", "b", "c", "d"}, "[[0 1 2] [1 2 3]]"},
		{"e", []rt.NodeID{"a", "b", "c", "d"}, "[[0 1 2] [1 2 3]]"},
	} {
		p := tab.plan([]row{mkRow("x", "1", 1, "a"), mkRow("y", "2", 1, "b")})
		p.batches[slices.Index(p.nodes, "c")] = nil // tells c's batch from the others
		p.selfLast(tc.self)
		if !slices.Equal(p.nodes, tc.nodes) {
			t.Errorf("self %s: nodes %v, want %v", tc.self, p.nodes, tc.nodes)
		}
		if got := fmt.Sprint(p.sets); got != tc.sets {
			t.Errorf("self %s: sets %s, want %s", tc.self, got, tc.sets)
		}
		for i, b := range p.batches {
			want := 2
			if p.nodes[i] == "c" {
				want = 0
			}
			if len(b) != want {
				t.Errorf("self %s: node %s has %d entries, want %d (batches follow their node)", tc.self, p.nodes[i], len(b), want)
			}
		}
	}
}

func TestWaitSets(t *testing.T) {
	sets := [][]int{{0, 1, 2}, {1, 2, 3}}
	for _, tc := range []struct {
		failing []int
		ok      bool
	}{
		{nil, true}, {[]int{0}, true}, {[]int{3}, true}, {[]int{0, 3}, true},
		{[]int{1}, true}, {[]int{1, 2}, false}, {[]int{0, 1}, false}, {[]int{2, 3}, false},
	} {
		w := sim.New(sim.Config{Seed: 1})
		calls := make([]int, 4)
		var err error
		var newest uint64
		w.Go("writer", func(ctx context.Context) {
			newest, err = waitSetsStart(ctx, w.Tasks(), 4, sets, 2, func(i int, done func(uint64, error)) {
				calls[i]++
				if slices.Contains(tc.failing, i) {
					done(0, errors.New("down"))
					return
				}
				w.Tasks().Spawn("call", func(ctx context.Context) {
					err := w.Sleep(ctx, time.Duration(i+1)*time.Millisecond)
					done(10*uint64(i+1), err) // call i reports stamp 10(i+1)
				})
			})
		})
		must(t, w.Run())
		w.Close()
		if got := err == nil; got != tc.ok {
			t.Errorf("failing %v: ok = %v (%v), want %v", tc.failing, got, err, tc.ok)
		}
		if !slices.Equal(calls, []int{1, 1, 1, 1}) {
			t.Errorf("failing %v: calls per node %v, want one each", tc.failing, calls)
		}
		if tc.failing == nil && newest != 30 {
			t.Errorf("newest stamp %d, want 30 (calls 0–2 answered when both sets had two)", newest)
		}
	}
}
