package sim

import (
	"math"
	"testing"
)

func TestRandIsReproducible(t *testing.T) {
	a, b := NewRand(42), NewRand(42)
	for i := range 1000 {
		if x, y := a.Uint64(), b.Uint64(); x != y {
			t.Fatalf("draw %d: %x != %x", i, x, y)
		}
	}
}

// TestRandIntNIsUniform checks bounds and a chi-square statistic for a
// few moduli, including ones that make naive modulo biased.
func TestRandIntNIsUniform(t *testing.T) {
	r := NewRand(7)
	for _, n := range []int{1, 2, 3, 7, 10, 1000} {
		const draws = 100_000
		counts := make([]float64, n)
		for range draws {
			v := r.IntN(n)
			if v < 0 || v >= n {
				t.Fatalf("IntN(%d) = %d", n, v)
			}
			counts[v]++
		}
		exp := float64(draws) / float64(n)
		chi := 0.0
		for _, c := range counts {
			chi += (c - exp) * (c - exp) / exp
		}
		// Mean n-1, standard deviation sqrt(2(n-1)): allow 6 sigmas.
		if limit := float64(n-1) + 6*math.Sqrt(2*float64(n-1)) + 1; chi > limit {
			t.Errorf("IntN(%d): chi-square %.1f over %.1f", n, chi, limit)
		}
	}
}

func TestRandFloat64AndRead(t *testing.T) {
	r := NewRand(3)
	sum := 0.0
	for range 10_000 {
		f := r.Float64()
		if f < 0 || f >= 1 {
			t.Fatalf("Float64 = %v", f)
		}
		sum += f
	}
	if mean := sum / 10_000; mean < 0.48 || mean > 0.52 {
		t.Errorf("Float64 mean %.3f, want about 0.5", mean)
	}
	buf := make([]byte, 13)
	r.Read(buf)
	zeros := 0
	for _, b := range buf {
		if b == 0 {
			zeros++
		}
	}
	if zeros > 3 {
		t.Errorf("Read left %d of 13 bytes zero: %x", zeros, buf)
	}
}

func TestStreamSeedsDiffer(t *testing.T) {
	seen := map[uint64]string{}
	for _, root := range []uint64{0, 1, 2} {
		for _, name := range []string{"", "scheduler", "network", "node/n1", "node/n2", "node/n10"} {
			s := StreamSeed(root, name)
			if prev, dup := seen[s]; dup {
				t.Errorf("StreamSeed(%d, %q) collides with %s", root, name, prev)
			}
			seen[s] = name
		}
	}
}

func TestPermIsAPermutation(t *testing.T) {
	p := NewRand(5).Perm(50)
	seen := make([]bool, 50)
	for _, v := range p {
		if seen[v] {
			t.Fatalf("Perm repeats %d: %v", v, p)
		}
		seen[v] = true
	}
}
