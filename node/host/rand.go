package host

import (
	crand "crypto/rand"
	"math/rand/v2"
	"sync"

	"github.com/gogarage/garage/node/rt"
)

// Rand is a ChaCha8 stream behind a mutex, safe for concurrent use.
type Rand struct {
	mu  sync.Mutex
	src *rand.ChaCha8
	r   *rand.Rand
}

var _ rt.Rand = (*Rand)(nil)

// NewRand returns a stream seeded from the operating system.
func NewRand() *Rand {
	var seed [32]byte
	crand.Read(seed[:]) // never fails since Go 1.24; it crashes the program instead
	return NewRandSeed(seed)
}

// NewRandSeed returns a stream seeded with seed; two streams with the same
// seed yield the same values. It is meant for tests and replay tools.
func NewRandSeed(seed [32]byte) *Rand {
	src := rand.NewChaCha8(seed)
	return &Rand{src: src, r: rand.New(src)}
}

// Uint64 returns a uniformly distributed 64-bit value.
func (r *Rand) Uint64() uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.src.Uint64()
}

// IntN returns a value in [0, n); it panics if n <= 0.
func (r *Rand) IntN(n int) int {
	if n <= 0 {
		panic("host: Rand.IntN: n <= 0")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.r.IntN(n)
}

// Float64 returns a value in [0, 1).
func (r *Rand) Float64() float64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.r.Float64()
}

// Read fills p with random bytes.
func (r *Rand) Read(p []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	_, _ = r.src.Read(p) // ChaCha8.Read never fails
}
