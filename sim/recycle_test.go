package sim

import (
	"context"
	"encoding/binary"
	"errors"
	"testing"
	"time"

	"github.com/gogarage/garage/netem"
	"github.com/gogarage/garage/node/rt"
)

// TestRecycledCallsKeepTheirReplies drives many overlapping calls through
// loss, duplication, jitter, slow handlers, timeouts and crashes, so that
// call and task structs are recycled while stale messages and handlers
// are still around: every reply a caller gets must answer its own
// request.
func TestRecycledCallsKeepTheirReplies(t *testing.T) {
	for seed := uint64(1); seed <= 4; seed++ {
		net := netem.New()
		net.SetLatency(netem.AllLinks(), 2*time.Millisecond)
		net.SetJitter(netem.AllLinks(), netem.Uniform{Width: 2 * time.Millisecond})
		net.SetLoss(netem.AllLinks(), 0.05)
		net.SetDup(netem.AllLinks(), 0.2)
		w := New(Config{Seed: seed, Net: net})
		ids := []rt.NodeID{"a", "b", "c"}
		for _, id := range ids {
			w.AddNode(id, "z1", func(env rt.Env) {
				env.Net.Handle("echo", func(ctx context.Context, _ rt.NodeID, req []byte) ([]byte, error) {
					if err := env.Clock.Sleep(ctx, time.Duration(env.Rand.IntN(8))*time.Millisecond); err != nil {
						return nil, err
					}
					return req, nil
				})
			})
		}
		got, wrong := 0, 0
		r := w.Rand("test")
		for c := range 6 {
			w.Go("client", func(ctx context.Context) {
				for i := range 200 {
					env := w.Env(ids[c%len(ids)])
					req := binary.BigEndian.AppendUint64(nil, uint64(c*1000+i))
					rep, err := env.Net.Call(ctx, ids[r.IntN(len(ids))], "echo", req, rt.CallOpts{Timeout: 5 * time.Millisecond})
					switch {
					case err == nil && string(rep) == string(req):
						got++
					case err == nil:
						wrong++
					case !errors.Is(err, rt.ErrTimeout) && !errors.Is(err, rt.ErrUnreachable) && !errors.Is(err, rt.ErrNoHandler):
						t.Errorf("seed %d: call: %v", seed, err)
					}
				}
			})
		}
		w.At(200*time.Millisecond, "crash", func() { w.Crash("b") })
		w.At(300*time.Millisecond, "restart", func() { w.Restart("b") })
		must(t, w.Run())
		w.Close()
		if wrong != 0 || got == 0 {
			t.Errorf("seed %d: %d replies to another request, %d right; want 0 and some", seed, wrong, got)
		}
	}
}
