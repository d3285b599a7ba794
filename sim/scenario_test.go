package sim

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/gogarage/garage/node/rt"
)

// pingStats counts the outcomes of the ping-pong scenario's calls.
type pingStats struct {
	ok, timeout, unreachable, other int
}

// pingPong builds the determinism scenario: nodes that call random peers
// with random payloads and sleeps, keep a counter in their KV (synced now
// and then), use timeouts shorter than some handler delays, and one node
// that crashes and restarts.
func pingPong(w *World, nodes int, dur time.Duration) *pingStats {
	st := &pingStats{}
	ids := make([]rt.NodeID, nodes)
	for i := range ids {
		ids[i] = rt.NodeID(fmt.Sprintf("n%d", i+1))
	}
	for _, id := range ids {
		w.AddNode(id, "z1", func(env rt.Env) { bootPinger(env, ids, dur, st) })
	}
	w.At(dur/3, "nemesis-crash", func() { w.Crash(ids[0]) })
	w.At(dur/2, "nemesis-restart", func() { w.Restart(ids[0]) })
	return st
}

func bootPinger(env rt.Env, peers []rt.NodeID, dur time.Duration, st *pingStats) {
	env.Net.Handle("ping", func(ctx context.Context, from rt.NodeID, req []byte) ([]byte, error) {
		if err := env.Clock.Sleep(ctx, time.Duration(env.Rand.IntN(30))*time.Millisecond); err != nil {
			return nil, err
		}
		if env.Rand.IntN(10) == 0 {
			return nil, errors.New("busy")
		}
		return append(req, byte(len(req))), nil
	})
	for i := range 2 {
		env.Tasks.Spawn(fmt.Sprintf("pinger-%d", i), func(ctx context.Context) {
			pingLoop(ctx, env, peers, dur, st)
		})
	}
}

func pingLoop(ctx context.Context, env rt.Env, peers []rt.NodeID, dur time.Duration, st *pingStats) {
	for env.Clock.Mono() < dur {
		to := peers[env.Rand.IntN(len(peers))]
		req := make([]byte, env.Rand.IntN(64))
		env.Rand.Read(req)
		_, err := env.Net.Call(ctx, to, "ping", req, rt.CallOpts{Timeout: 25 * time.Millisecond})
		st.count(err)
		if err == nil {
			bumpCounter(env, env.Rand.IntN(4) == 0)
		}
		if env.Clock.Sleep(ctx, time.Duration(1+env.Rand.IntN(20))*time.Millisecond) != nil {
			return
		}
	}
}

func (s *pingStats) count(err error) {
	var re *rt.RemoteError
	switch {
	case err == nil || errors.As(err, &re):
		s.ok++
	case errors.Is(err, rt.ErrTimeout):
		s.timeout++
	case errors.Is(err, rt.ErrUnreachable):
		s.unreachable++
	default:
		s.other++
	}
}

// bumpCounter increments the node's persistent call counter.
func bumpCounter(env rt.Env, sync bool) {
	err := env.KV.Update(func(tx rt.Tx) error {
		v, _ := tx.Get("stats", []byte("calls"))
		var n uint64
		if len(v) == 8 {
			n = binary.BigEndian.Uint64(v)
		}
		return tx.Put("stats", []byte("calls"), binary.BigEndian.AppendUint64(nil, n+1))
	})
	if err == nil && sync {
		err = env.KV.Sync()
	}
	if err != nil {
		panic(err)
	}
}

// runPingPong runs the scenario for seed and returns its trace hash.
func runPingPong(t testing.TB, seed uint64) (uint64, *pingStats) {
	w := New(Config{Seed: seed, Scenario: "pingpong"})
	defer w.Close()
	st := pingPong(w, 5, 2*time.Second)
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	return w.TraceHash(), st
}

func TestPingPongRuns(t *testing.T) {
	h, st := runPingPong(t, 1)
	t.Logf("hash %016x stats %+v", h, *st)
	if st.ok == 0 || st.timeout == 0 {
		t.Errorf("scenario too tame: %+v", *st)
	}
}
