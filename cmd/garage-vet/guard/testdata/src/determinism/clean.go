package determinism

import (
	"context"
	"crypto/ecdh"
	"math/rand/v2"
	"sync"
	"time"
)

// Seeded generators are fine: the constructors take their source.
func seeded(seed uint64) int {
	r := rand.New(rand.NewPCG(seed, 1))
	return r.IntN(6)
}

func durations(ctx context.Context) (time.Duration, error) {
	return 3*time.Second + time.Duration(5), ctx.Err()
}

func values(ctx context.Context) context.Context {
	return context.WithValue(context.WithoutCancel(ctx), name("k"), 1)
}

func x25519FromSeed(seed []byte) (*ecdh.PrivateKey, error) { return ecdh.X25519().NewPrivateKey(seed) }

// Methods named like banned functions are fine: Time.After is not
// time.After, a seeded Rand's Read is not crypto/rand.
func methods(a, b time.Time, r *rand.ChaCha8, mu *sync.Mutex) bool {
	mu.Lock()
	defer mu.Unlock()
	_, _ = r.Read(make([]byte, 8))
	return a.After(b) && b.Sub(a) < time.Hour
}

// A WaitGroup may be counted; only waiting on it blocks.
func counted(wg *sync.WaitGroup) {
	wg.Add(1)
	wg.Done()
}

// Timers and tickers as types are not read from the clock.
func stopTimer(t *time.Timer) bool { return t.Stop() }
