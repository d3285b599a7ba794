package sim

import "math/bits"

// Rand is a seeded xoshiro256** generator. It implements rt.Rand and
// netem.Rand. A Rand is not safe for concurrent use; in the simulator only
// the task holding the token uses it.
type Rand struct {
	s [4]uint64
}

// NewRand returns a generator whose state is expanded from seed with
// splitmix64.
func NewRand(seed uint64) *Rand {
	r := &Rand{}
	x := seed
	for i := range r.s {
		r.s[i] = splitmix64(&x)
	}
	return r
}

// StreamSeed derives the seed of the named stream from the root seed. Each
// stream depends only on (root, name), so adding a stream or a node never
// perturbs another.
func StreamSeed(root uint64, name string) uint64 {
	h := uint64(14695981039346656037) // FNV-1a offset basis
	for i := 0; i < len(name); i++ {
		h ^= uint64(name[i])
		h *= 1099511628211
	}
	x := root ^ bits.RotateLeft64(h, 17)
	return splitmix64(&x) ^ h
}

func splitmix64(x *uint64) uint64 {
	*x += 0x9e3779b97f4a7c15
	z := *x
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// Uint64 returns the next 64 random bits.
func (r *Rand) Uint64() uint64 {
	s := &r.s
	result := bits.RotateLeft64(s[1]*5, 7) * 9
	t := s[1] << 17
	s[2] ^= s[0]
	s[3] ^= s[1]
	s[1] ^= s[2]
	s[0] ^= s[3]
	s[2] ^= t
	s[3] = bits.RotateLeft64(s[3], 45)
	return result
}

// IntN returns a uniform value in [0, n). It panics if n <= 0.
func (r *Rand) IntN(n int) int {
	if n <= 0 {
		panic("sim: IntN with n <= 0")
	}
	return int(r.uint64n(uint64(n)))
}

// uint64n is Lemire's nearly-divisionless bounded draw, without bias.
func (r *Rand) uint64n(n uint64) uint64 {
	hi, lo := bits.Mul64(r.Uint64(), n)
	if lo < n {
		thresh := -n % n
		for lo < thresh {
			hi, lo = bits.Mul64(r.Uint64(), n)
		}
	}
	return hi
}

// Float64 returns a uniform value in [0, 1).
func (r *Rand) Float64() float64 {
	return float64(r.Uint64()>>11) * (1.0 / (1 << 53))
}

// Read fills p with random bytes.
func (r *Rand) Read(p []byte) {
	for len(p) > 0 {
		v := r.Uint64()
		n := min(len(p), 8)
		for i := range n {
			p[i] = byte(v >> (8 * i))
		}
		p = p[n:]
	}
}

// Perm returns a random permutation of [0, n).
func (r *Rand) Perm(n int) []int {
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	for i := n - 1; i > 0; i-- {
		j := r.IntN(i + 1)
		p[i], p[j] = p[j], p[i]
	}
	return p
}
