package layout

import (
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

var long = flag.Bool("long", false, "run the long property tests")

func iterations(short, long_ int) int {
	if *long {
		return long_
	}
	return short
}

// TestComputeProperties checks the invariants on random clusters of 1-60
// nodes over 1-6 zones with RF 1-5, and that errors come exactly when there
// are too few storage nodes or zones.
func TestComputeProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for it := range iterations(150, 2000) {
		n, z, rf := 1+r.IntN(60), 1+r.IntN(6), 1+r.IntN(5)
		bits := DefaultPartitionBits
		if r.IntN(3) == 0 {
			bits = r.IntN(11)
		}
		c := randCluster(r, n, z, rf, bits, int64(1)<<(20+r.IntN(20)))
		v, err := Compute(1, c.members, c.params, nil)
		ns, nz := storageStats(c.members)
		wantErr := ns < rf || (c.params.Redundancy != Maximum && int(c.params.Redundancy) > nz)
		if (err != nil) != wantErr {
			t.Fatalf("case %d (%d nodes, %d storage, %d zones, RF %d, %v): err %v, want error %v",
				it, n, ns, nz, rf, c.params.Redundancy, err, wantErr)
		}
		if err != nil {
			continue
		}
		checkInvariants(t, &v, c.members)
		checkLocallyOptimal(t, &v, c)
	}
}

// checkLocallyOptimal fails unless one byte more per partition is
// infeasible.
func checkLocallyOptimal(t *testing.T, v *Version, c cluster) {
	t.Helper()
	pb, err := newProblem(c.members, c.params, nil)
	if err != nil {
		t.Fatal(err)
	}
	if pb.feasible(v.PartitionSize + 1) {
		t.Fatalf("partition size %d is not optimal: %d is feasible", v.PartitionSize, v.PartitionSize+1)
	}
}

// smallCase draws a cluster small enough for the oracle.
func smallCase(r *rand.Rand) cluster {
	n, rf := 1+r.IntN(6), 1+r.IntN(5)
	c := randCluster(r, n, 1+r.IntN(4), rf, 1+r.IntN(3), 1)
	for i := range c.members {
		if !c.members[i].Role.Gateway {
			c.members[i].Role.Capacity = 1 + r.Int64N(100)
		}
	}
	return c
}

// TestComputeMatchesExhaustive compares the partition size with exhaustive
// search on clusters of at most 6 nodes.
func TestComputeMatchesExhaustive(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	checked := 0
	for it := range iterations(1500, 20000) {
		c := smallCase(r)
		v, err := Compute(1, c.members, c.params, nil)
		want := newOracle(nil, c.members, c.params).bestSize()
		if err != nil {
			if want > 0 && !errors.Is(err, ErrTooFewNodes) && !errors.Is(err, ErrTooFewZones) {
				t.Fatalf("case %d: %v, but the oracle finds size %d", it, err, want)
			}
			continue
		}
		checked++
		checkInvariants(t, &v, c.members)
		if got := v.PartitionSize; got != want {
			t.Fatalf("case %d %+v: partition size %d, exhaustive search finds %d", it, c, got, want)
		}
	}
	if checked < 100 {
		t.Fatalf("only %d feasible cases checked", checked)
	}
	t.Logf("%d feasible cases match exhaustive search", checked)
}

// TestMovementMatchesExhaustive adds or removes a node and compares the
// replicas moved with the exhaustive minimum at the new optimal size.
func TestMovementMatchesExhaustive(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	checked := 0
	for it := range iterations(1500, 20000) {
		c := smallCase(r)
		v1, err := Compute(1, c.members, c.params, nil)
		if err != nil {
			continue
		}
		next := mutate(r, c.members)
		v2, err := Compute(2, next, c.params, &v1)
		if err != nil {
			continue
		}
		checked++
		o := newOracle(nil, next, c.params)
		if want := o.bestSize(); v2.PartitionSize != want {
			t.Fatalf("case %d: size %d, oracle %d", it, v2.PartitionSize, want)
		}
		got, want := moves(&v1, &v2), o.minMoves(&v1, v2.PartitionSize)
		if got != want {
			t.Fatalf("case %d %v -> %v: moved %d, minimum %d", it, c.members, next, got, want)
		}
	}
	if checked < 100 {
		t.Fatalf("only %d cases checked", checked)
	}
	t.Logf("%d changes move the exhaustive minimum", checked)
}

// mutate adds a node (if there is room) or removes one.
func mutate(r *rand.Rand, ms []Member) []Member {
	out := slices.Clone(ms)
	if len(out) < 6 && (len(out) < 2 || r.IntN(2) == 0) {
		id := NodeID(fmt.Sprintf("new%d", r.IntN(100)))
		return append(out, Member{ID: id, Role: StorageRole(fmt.Sprintf("z%d", r.IntN(4)), 1+r.Int64N(100))})
	}
	i := r.IntN(len(out))
	return slices.Delete(out, i, i+1)
}

// TestMovementLargeVersusLowerBound reports, on 20 large random clusters,
// the replicas moved after adding or removing a node against a lower bound:
// every node can keep at most min(old load, new capacity in partitions).
func TestMovementLargeVersusLowerBound(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	totalMoved, totalLB := 0, 0
	for it := range 20 {
		c := randCluster(r, 20+r.IntN(60), 3+r.IntN(4), 3, DefaultPartitionBits, 1<<30)
		v1, err := Compute(1, c.members, c.params, nil)
		if err != nil {
			t.Fatal(err)
		}
		op := "add"
		next := append(slices.Clone(c.members), Member{ID: "added", Role: StorageRole("z1", 700<<30)})
		if it%2 == 1 {
			op, next = "remove", slices.Delete(slices.Clone(c.members), 0, 1)
		}
		v2, err := Compute(2, next, c.params, &v1)
		if err != nil {
			t.Fatal(err)
		}
		checkInvariants(t, &v2, next)
		checkSlots(t, &v1, &v2)
		got, lb := moves(&v1, &v2), lowerBound(&v1, &v2)
		if got < lb {
			t.Fatalf("case %d: moved %d below the lower bound %d", it, got, lb)
		}
		totalMoved, totalLB = totalMoved+got, totalLB+lb
		t.Logf("case %2d %-6s %2d nodes: moved %4d, lower bound %4d", it, op, len(next), got, lb)
	}
	t.Logf("total moved %d, lower bound %d", totalMoved, totalLB)
}

// checkSlots fails unless every node that keeps a partition keeps its
// position in the partition's node list.
func checkSlots(t *testing.T, prev, next *Version) {
	t.Helper()
	for p := range next.Partitions() {
		old, cur := prev.NodesOf(Partition(p)), next.NodesOf(Partition(p))
		for j, id := range old {
			if slices.Contains(cur, id) && cur[j] != id {
				t.Fatalf("partition %d: %s moved from slot %d: %v -> %v", p, id, j, old, cur)
			}
		}
	}
}

func lowerBound(prev, next *Version) int {
	keep := 0
	old := prev.Load()
	for i, id := range prev.Storage {
		r, ok := next.Role(id)
		if !ok || r.Gateway {
			continue
		}
		keep += min(old[i], int(r.Capacity/next.PartitionSize), next.Partitions())
	}
	return max(0, next.Params.Replication*next.Partitions()-keep)
}

// TestComputeDeterministic checks that member order and repetition do not
// change the result.
func TestComputeDeterministic(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for range 10 {
		c := randCluster(r, 30, 4, 3, DefaultPartitionBits, 1<<30)
		a, err := Compute(1, c.members, c.params, nil)
		if err != nil {
			t.Fatal(err)
		}
		shuffled := slices.Clone(c.members)
		r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		b, err := Compute(1, shuffled, c.params, nil)
		if err != nil {
			t.Fatal(err)
		}
		ea, _ := a.Encode()
		eb, _ := b.Encode()
		if string(ea) != string(eb) {
			t.Fatalf("same cluster, different assignments")
		}
	}
}
