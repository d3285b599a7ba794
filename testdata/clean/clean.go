// Package clean holds constructs the node source scan must accept: seeded
// generators, pure net/url, durations, and the order-insensitive forms of
// map ranges. The root guard test checks the scanner finds nothing here.
package clean

import (
	"context"
	"crypto/ecdh"
	"maps"
	"math/rand/v2"
	"net/url"
	"path/filepath"
	"slices"
	"sort"
	"sync"
	"time"
)

func seeded(seed uint64) int {
	r := rand.New(rand.NewPCG(seed, 1))
	return r.IntN(6)
}

func durations(ctx context.Context) (time.Duration, error) {
	return 3*time.Second + time.Duration(5), ctx.Err()
}

func parse(s string) (*url.URL, error) { return url.Parse(s) }

func sortedKeys(m map[string]int) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func sortedValues(m map[string]int) []int {
	vs := make([]int, 0, len(m))
	for _, v := range m {
		vs = append(vs, v)
	}
	n := len(m)
	slices.Sort(vs)
	return vs[:n]
}

func count(m map[string]int) (n, total int) {
	for _, v := range m {
		n++
		total += v
	}
	return n, total
}

func prune(m map[string]int) {
	for k, v := range m {
		if v == 0 {
			delete(m, k)
		}
	}
}

func double(m map[string]int) map[string]int {
	out := make(map[string]int, len(m))
	for k, v := range m {
		out[k] = v * 2
	}
	return out
}

func anyNegative(m map[string]int) (neg bool) {
	for _, v := range m {
		if v < 0 {
			neg = true
		}
	}
	return neg
}

func justified(m map[string]int) (last int) {
	//det:ok every value is equal by construction
	for _, v := range m {
		last = v
	}
	for _, v := range m { //det:ok same reason as above
		last = v
	}
	return last
}

func sortedIter(m map[string]int) []string { return slices.Sorted(maps.Keys(m)) }

func genericSorted[M ~map[string]V, V any](m M) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func x25519FromSeed(seed []byte) (*ecdh.PrivateKey, error) { return ecdh.X25519().NewPrivateKey(seed) }

func blockPath(dir, name string) string { return filepath.Join(dir, name[:2], name) }

// Methods named like banned functions are fine: Time.After is not
// time.After, a seeded Rand's Read is not crypto/rand.
func methods(a, b time.Time, r *rand.ChaCha8, mu *sync.Mutex) bool {
	mu.Lock()
	defer mu.Unlock()
	_, _ = r.Read(make([]byte, 8))
	return a.After(b) && b.Sub(a) < time.Hour
}
