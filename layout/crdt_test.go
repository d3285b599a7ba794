package layout

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
)

// randStaging applies a few random staging operations with random
// timestamps, so that stamps collide often.
func randStaging(r *rand.Rand, base Staging) Staging {
	s := base.Clone()
	for range r.IntN(6) {
		ts := Timestamp(r.IntN(5))
		id := NodeID(fmt.Sprintf("n%d", r.IntN(4)))
		switch r.IntN(4) {
		case 0:
			s.put(StagedRole{Node: id, Role: StorageRole(fmt.Sprintf("z%d", r.IntN(3)), 1+r.Int64N(3))}, ts)
		case 1:
			s.put(StagedRole{Node: id, Remove: true}, ts)
		case 2:
			s.setRedundancy(AtLeast(1+r.IntN(3)), ts)
		default:
			if r.IntN(3) == 0 {
				s.reset(Maximum, ts)
			}
		}
	}
	return s
}

func merged(a, b Staging) Staging {
	c := a.Clone()
	c.Merge(b)
	return c
}

// TestStagingCRDTLaws checks that Merge is commutative, associative and
// idempotent on random stagings.
func TestStagingCRDTLaws(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	for it := range iterations(2000, 20000) {
		base := randStaging(r, Staging{})
		a, b, c := randStaging(r, base), randStaging(r, base), randStaging(r, base)
		if ab, ba := merged(a, b), merged(b, a); !ab.Equal(ba) {
			t.Fatalf("case %d: not commutative:\n%+v\n%+v", it, ab, ba)
		}
		if l, rr := merged(merged(a, b), c), merged(a, merged(b, c)); !l.Equal(rr) {
			t.Fatalf("case %d: not associative:\n%+v\n%+v", it, l, rr)
		}
		if aa := merged(a, a); !aa.Equal(a) {
			t.Fatalf("case %d: not idempotent", it)
		}
		if m := merged(a, b); merged(m, a).Equal(m) != true {
			t.Fatalf("case %d: merging an included state changed it", it)
		}
	}
}

// TestLocalUpdateWins checks that a change made with a clock behind the
// replaced entry still wins (the stamp is bumped).
func TestLocalUpdateWins(t *testing.T) {
	h, _ := NewHistory(1, 2)
	must(t, h.Assign("x", StorageRole("a", 10), 100))
	must(t, h.Assign("x", StorageRole("b", 10), 50))
	if r, _ := h.stagedRole("x"); r.Zone != "b" {
		t.Fatalf("staged zone %q, want b", r.Zone)
	}
}

// TestHistoryMergeConverges replays random operations on three replicas
// that gossip at random, then checks they all reach the same state.
func TestHistoryMergeConverges(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 16))
	for it := range iterations(30, 300) {
		base := threeZones(t, 5)
		reps := []*History{base.Clone(), base.Clone(), base.Clone()}
		for step := range 40 {
			h := reps[r.IntN(3)]
			switch r.IntN(4) {
			case 0:
				id := NodeID(fmt.Sprintf("n%d", r.IntN(7)))
				must(t, h.Assign(id, StorageRole(fmt.Sprintf("%c", 'a'+r.IntN(3)), 1e12), Timestamp(100+step)))
			case 1:
				if _, err := reps[0].Apply(reps[0].Current().Number+1, Timestamp(100+step)); err != nil {
					t.Fatal(err)
				}
			case 2:
				n := h.AllNodes()[r.IntN(len(h.AllNodes()))]
				h.Ack(n, h.Current().Number)
				h.Synced(n, h.Current().Number)
				h.SyncAcked(n, h.SyncMin())
			default:
				if _, err := h.Merge(reps[r.IntN(3)]); err != nil {
					t.Fatal(err)
				}
			}
		}
		for range 2 {
			for _, a := range reps {
				for _, b := range reps {
					if _, err := a.Merge(b); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
		for i := 1; i < 3; i++ {
			if !reps[0].Equal(reps[i]) {
				ea, _ := reps[0].Encode()
				eb, _ := reps[i].Encode()
				t.Fatalf("case %d: replicas 0 and %d differ:\n%s\n%s", it, i, ea, eb)
			}
		}
	}
}

// TestMergeConflict applies two different versions 2 on two replicas.
func TestMergeConflict(t *testing.T) {
	a := threeZones(t, 3)
	b := a.Clone()
	must(t, a.Assign("x", StorageRole("a", 1e12), 50))
	must(t, b.Assign("y", StorageRole("b", 1e12), 50))
	if _, err := a.Apply(2, 60); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Apply(2, 60); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Merge(b); !errors.Is(err, ErrConflict) {
		t.Fatalf("got %v, want ErrConflict", err)
	}
}

// TestMergeCatchesUp gives a replica that missed whole transitions the
// newer versions.
func TestMergeCatchesUp(t *testing.T) {
	a := threeZones(t, 3)
	stale := a.Clone()
	for v := uint64(2); v <= 4; v++ {
		must(t, a.Assign(NodeID(fmt.Sprintf("x%d", v)), StorageRole("a", 1e12), Timestamp(v*100)))
		if _, err := a.Apply(v, Timestamp(v*100+1)); err != nil {
			t.Fatal(err)
		}
		for _, n := range a.AllNodes() {
			a.Ack(n, v)
			a.Synced(n, v)
		}
		for _, n := range a.AllNodes() {
			a.SyncAcked(n, v)
		}
	}
	if len(a.Versions) != 1 || a.Current().Number != 4 {
		t.Fatalf("setup: live %d versions, current %d", len(a.Versions), a.Current().Number)
	}
	if changed, err := stale.Merge(a); err != nil || !changed {
		t.Fatalf("merge: changed %v, err %v", changed, err)
	}
	if stale.Current().Number != 4 || len(stale.Versions) != 1 {
		t.Fatalf("stale replica at version %d with %d live", stale.Current().Number, len(stale.Versions))
	}
}
