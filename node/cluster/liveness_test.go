package cluster

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/gogarage/garage/node/rt"
)

func TestLivenessSupersedes(t *testing.T) {
	alive := func(i uint64) Liveness { return Liveness{Inc: i, State: StateAlive} }
	suspect := func(i uint64) Liveness { return Liveness{Inc: i, State: StateSuspect} }
	dead := func(i uint64) Liveness { return Liveness{Inc: i, State: StateDead} }
	left := func(i uint64) Liveness { return Liveness{Inc: i, State: StateLeft} }
	for _, tc := range []struct {
		l, o Liveness
		want bool
	}{
		{alive(1), Liveness{}, true},
		{Liveness{}, alive(1), false},
		{Liveness{}, Liveness{}, false},
		{suspect(1), alive(1), true},
		{alive(1), suspect(1), false},
		{alive(2), suspect(1), true},
		{dead(1), suspect(1), true},
		{suspect(1), dead(1), false},
		{alive(2), dead(1), true},
		{left(1), dead(1), true},
		{dead(1), left(1), false},
		{alive(1), alive(1), false},
		{suspect(1), alive(2), false},
	} {
		if got := tc.l.Supersedes(tc.o); got != tc.want {
			t.Errorf("%+v.Supersedes(%+v) = %v, want %v", tc.l, tc.o, got, tc.want)
		}
	}
}

// TestLivenessMergeIsMax checks that merging beliefs by Supersedes is a
// semilattice: the outcome does not depend on the order beliefs arrive in.
func TestLivenessMergeIsMax(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	merge := func(ls []Liveness) Liveness {
		var cur Liveness
		for _, l := range ls {
			if l.Supersedes(cur) {
				cur = l
			}
		}
		return cur
	}
	for range 1000 {
		ls := make([]Liveness, 1+r.IntN(6))
		for i := range ls {
			ls[i] = Liveness{Inc: uint64(r.IntN(3)), State: MemberState(r.IntN(5))}
		}
		want := merge(ls)
		r.Shuffle(len(ls), func(i, j int) { ls[i], ls[j] = ls[j], ls[i] })
		if got := merge(ls); got != want {
			t.Fatalf("merge of %v depends on order: %v vs %v", ls, got, want)
		}
	}
}

func TestRefutes(t *testing.T) {
	for _, tc := range []struct {
		l       Liveness
		inc     uint64
		wantInc uint64
		want    bool
	}{
		{Liveness{Inc: 3, State: StateSuspect}, 3, 4, true},
		{Liveness{Inc: 5, State: StateDead}, 3, 6, true},
		{Liveness{Inc: 2, State: StateDead}, 3, 3, false},
		{Liveness{Inc: 3, State: StateAlive}, 3, 3, false},
		{Liveness{Inc: 7, State: StateAlive}, 3, 3, false},
		{Liveness{Inc: 3, State: StateLeft}, 3, 4, true},
	} {
		if inc, ok := Refutes(tc.l, tc.inc); inc != tc.wantInc || ok != tc.want {
			t.Errorf("Refutes(%+v, %d) = %d, %v; want %d, %v", tc.l, tc.inc, inc, ok, tc.wantInc, tc.want)
		}
	}
}

func TestSuspicionTimeoutAndRetransmits(t *testing.T) {
	for _, tc := range []struct {
		n       int
		timeout time.Duration
		limit   int
	}{{1, 3 * time.Second, 4}, {6, 3 * time.Second, 4}, {9, 3 * time.Second, 4}, {100, 6 * time.Second, 12},
		{1000, 9 * time.Second, 16}} {
		if got := SuspicionTimeout(3, time.Second, tc.n); got != tc.timeout {
			t.Errorf("SuspicionTimeout(3, 1s, %d) = %v, want %v", tc.n, got, tc.timeout)
		}
		if got := RetransmitLimit(4, tc.n); got != tc.limit {
			t.Errorf("RetransmitLimit(4, %d) = %d, want %d", tc.n, got, tc.limit)
		}
	}
}

func TestRumorsLeastSentFirstAndLimited(t *testing.T) {
	r := newRumors()
	for i := range 5 {
		r.add(update{ID: rt.NodeID(fmt.Sprintf("n%d", i)), Live: Liveness{Inc: 1, State: StateDead}})
	}
	r.add(update{ID: "n0", Live: Liveness{Inc: 2, State: StateAlive}}) // replaces n0's rumor
	ids := func(us []update) []rt.NodeID {
		var out []rt.NodeID
		for _, u := range us {
			out = append(out, u.ID)
		}
		return out
	}
	if got, want := ids(r.take(3, 2)), []rt.NodeID{"n0", "n4", "n3"}; !slices.Equal(got, want) {
		t.Errorf("first take = %v, want newest first %v", got, want)
	}
	if got, want := ids(r.take(3, 2)), []rt.NodeID{"n2", "n1", "n0"}; !slices.Equal(got, want) {
		t.Errorf("second take = %v, want the unsent first %v", got, want)
	}
	if got, want := ids(r.take(10, 2)), []rt.NodeID{"n4", "n3", "n2", "n1"}; !slices.Equal(got, want) {
		t.Errorf("third take = %v, want %v", got, want)
	}
	if r.len() != 0 {
		t.Errorf("%d rumors left after every one was sent twice", r.len())
	}
}

func TestDiffStamps(t *testing.T) {
	a := Liveness{Inc: 1, State: StateAlive}
	s := Liveness{Inc: 1, State: StateSuspect}
	mine := []stamp{{ID: "a", Ver: 2, Live: a}, {ID: "b", Ver: 1, Live: a}, {ID: "c", Ver: 1, Live: s}, {ID: "e", Live: a}}
	theirs := []stamp{{ID: "b", Ver: 1, Live: a}, {ID: "c", Ver: 2, Live: a}, {ID: "d", Ver: 1, Live: a}, {ID: "e", Live: a}}
	give, want := diffStamps(mine, theirs)
	if !slices.Equal(give, []rt.NodeID{"a", "c"}) || !slices.Equal(want, []rt.NodeID{"c", "d"}) {
		t.Errorf("diffStamps: give %v want %v; want give [a c], want [c d]", give, want)
	}
	if sumOf(mine) == sumOf(theirs) || sumOf(theirs) != sumOf(slices.Clone(theirs)) {
		t.Error("sums of different stamps are equal, or equal stamps have different sums")
	}
}
