package host

import (
	"bytes"
	"sync"
	"testing"
)

func TestRandSeededIsReproducible(t *testing.T) {
	seed := [32]byte{1, 2, 3}
	a, b := NewRandSeed(seed), NewRandSeed(seed)
	for i := range 100 {
		if x, y := a.Uint64(), b.Uint64(); x != y {
			t.Fatalf("draw %d: %d vs %d from the same seed", i, x, y)
		}
	}
	pa, pb := make([]byte, 33), make([]byte, 33)
	a.Read(pa)
	b.Read(pb)
	if !bytes.Equal(pa, pb) {
		t.Fatal("Read differs between streams with the same seed")
	}
	if NewRand().Uint64() == NewRand().Uint64() {
		t.Fatal("two OS-seeded streams start with the same value")
	}
}

func TestRandRanges(t *testing.T) {
	r := NewRand()
	seen := make([]int, 7)
	for range 7000 {
		v := r.IntN(7)
		if v < 0 || v >= 7 {
			t.Fatalf("IntN(7) = %d", v)
		}
		seen[v]++
		if f := r.Float64(); f < 0 || f >= 1 {
			t.Fatalf("Float64() = %v", f)
		}
	}
	for v, k := range seen {
		if k < 700 { // expected 1000; this fails with probability < 1e-20
			t.Errorf("IntN(7) gave %d only %d times in 7000", v, k)
		}
	}
	p := make([]byte, 64)
	r.Read(p)
	if bytes.Equal(p, make([]byte, 64)) {
		t.Error("Read left the buffer zero")
	}
	defer func() {
		if recover() == nil {
			t.Error("IntN(0) did not panic")
		}
	}()
	r.IntN(0)
}

// TestRandConcurrent is for -race: the stream is shared by a node's tasks.
func TestRandConcurrent(t *testing.T) {
	r := NewRand()
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 1000 {
				r.Uint64()
				r.IntN(10)
				r.Read(make([]byte, 8))
			}
		})
	}
	wg.Wait()
}
