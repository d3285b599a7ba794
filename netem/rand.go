package netem

import "math/rand/v2"

// NewRand returns a source seeded with seed alone (PCG from math/rand/v2),
// for the real-mode shaper and for tests. The simulator passes its own
// stream instead.
func NewRand(seed uint64) Rand {
	return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
}
