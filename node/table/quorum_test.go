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
		w.Go("writer", func(ctx context.Context) {
			err = waitSets(ctx, w.Tasks(), 4, sets, 2, func(ctx context.Context, i int) error {
				calls[i]++
				if slices.Contains(tc.failing, i) {
					return errors.New("down")
				}
				return w.Sleep(ctx, time.Duration(i+1)*time.Millisecond)
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
	}
}
