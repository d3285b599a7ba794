package sim

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/gogarage/garage/netem"
	"github.com/gogarage/garage/node/rt"
)

// echoWorld has nodes a, b and c; b echoes, fails on "fail", sleeps on
// "slow"; c is crashed.
func echoWorld(t *testing.T) *World {
	w := New(Config{Seed: 5, CallTimeout: time.Second})
	t.Cleanup(w.Close)
	for _, id := range []rt.NodeID{"a", "b", "c"} {
		w.AddNode(id, "z1", func(env rt.Env) {
			env.Net.Handle("echo", func(_ context.Context, from rt.NodeID, req []byte) ([]byte, error) {
				return append([]byte(string(from)+":"), req...), nil
			})
			env.Net.Handle("fail", func(context.Context, rt.NodeID, []byte) ([]byte, error) {
				return nil, errors.New("boom")
			})
			env.Net.Handle("slow", func(ctx context.Context, _ rt.NodeID, _ []byte) ([]byte, error) {
				return []byte("late"), env.Clock.Sleep(ctx, 5*time.Second)
			})
		})
	}
	must(t, w.RunFor(0))
	w.Crash("c")
	return w
}

func TestCallOutcomes(t *testing.T) {
	tests := []struct {
		name     string
		to       rt.NodeID
		endpoint string
		timeout  time.Duration
		want     string
		wantErr  error
		took     time.Duration
	}{
		{"echo", "b", "echo", 0, "a:hi", nil, 2 * time.Millisecond},
		{"self call runs inline", "a", "echo", 0, "a:hi", nil, 0},
		{"self call times out", "a", "slow", 100 * time.Millisecond, "", rt.ErrTimeout, 100 * time.Millisecond},
		{"self call handler error", "a", "fail", 0, "", &rt.RemoteError{Endpoint: "fail", Msg: "boom"}, 0},
		{"handler error", "b", "fail", 0, "", &rt.RemoteError{Endpoint: "fail", Msg: "boom"}, 2 * time.Millisecond},
		{"no handler", "b", "nope", 0, "", rt.ErrNoHandler, 2 * time.Millisecond},
		{"timeout", "b", "slow", 100 * time.Millisecond, "", rt.ErrTimeout, 100 * time.Millisecond},
		{"default timeout", "b", "slow", 0, "", rt.ErrTimeout, time.Second},
		{"crashed peer times out", "c", "echo", 0, "", rt.ErrTimeout, time.Second},
		{"unknown peer", "zz", "echo", 0, "", rt.ErrUnreachable, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := echoWorld(t)
			var got []byte
			var err error
			var took time.Duration
			w.Go("client", func(ctx context.Context) {
				start := w.Now()
				got, err = w.Env("a").Net.Call(ctx, tc.to, tc.endpoint, []byte("hi"), rt.CallOpts{Timeout: tc.timeout})
				took = w.Now() - start
			})
			must(t, w.Run())
			if string(got) != tc.want || !sameErr(err, tc.wantErr) || took != tc.took {
				t.Errorf("got %q, %v after %v; want %q, %v after %v", got, err, took, tc.want, tc.wantErr, tc.took)
			}
		})
	}
}

// sameErr compares sentinels with errors.Is and remote errors by value.
func sameErr(got, want error) bool {
	var gr, wr *rt.RemoteError
	if errors.As(want, &wr) {
		return errors.As(got, &gr) && *gr == *wr
	}
	return errors.Is(got, want) && (got == nil) == (want == nil)
}

func TestPartitionTimesOutAndHeals(t *testing.T) {
	w := echoWorld(t)
	cut := w.Network().Partition([]string{"a"}, []string{"b"})
	var errs []error
	w.Go("client", func(ctx context.Context) {
		for range 2 {
			_, err := w.Env("a").Net.Call(ctx, "b", "echo", nil, rt.CallOpts{Timeout: 50 * time.Millisecond})
			errs = append(errs, err)
			w.Network().Heal(cut)
		}
	})
	must(t, w.Run())
	if fmt.Sprint(errs) != fmt.Sprint([]error{rt.ErrTimeout, nil}) {
		t.Errorf("errors across partition then heal = %v", errs)
	}
}

func TestCallCancelledByContext(t *testing.T) {
	w := echoWorld(t)
	var err error
	w.Go("client", func(ctx context.Context) {
		ctx, cancel := w.Env("a").Tasks.WithTimeout(ctx, 30*time.Millisecond)
		defer cancel()
		_, err = w.Env("a").Net.Call(ctx, "b", "slow", nil, rt.CallOpts{})
	})
	must(t, w.RunFor(40*time.Millisecond))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("call under a 30ms context: %v, want DeadlineExceeded", err)
	}
}

func TestRequestAndReplyAreCopied(t *testing.T) {
	w := New(Config{Seed: 1})
	defer w.Close()
	var seen []byte
	w.AddNode("a", "z1", func(env rt.Env) {})
	w.AddNode("b", "z1", func(env rt.Env) {
		env.Net.Handle("keep", func(_ context.Context, _ rt.NodeID, req []byte) ([]byte, error) {
			seen = req
			return req, nil
		})
	})
	w.Go("client", func(ctx context.Context) {
		req := []byte("orig")
		reply, err := w.Env("a").Net.Call(ctx, "b", "keep", req, rt.CallOpts{})
		check(t, err)
		req[0], reply[1] = 'X', 'Y'
	})
	must(t, w.Run())
	if string(seen) != "orig" {
		t.Errorf("handler's request changed by the caller: %q", seen)
	}
}

// TestPriorityOrdersLinkQueue sends background then high-priority
// requests at once over a slow link: the urgent ones take the wire first.
func TestPriorityOrdersLinkQueue(t *testing.T) {
	m := netem.New()
	m.SetLatency(netem.AllLinks(), time.Millisecond)
	m.SetBandwidth(netem.AllLinks(), 10_000) // 1000 bytes take 100 ms
	w := New(Config{Seed: 1, Net: m})
	defer w.Close()
	var order []string
	w.AddNode("a", "z1", func(env rt.Env) {})
	w.AddNode("b", "z1", func(env rt.Env) {
		env.Net.Handle("log", func(_ context.Context, _ rt.NodeID, req []byte) ([]byte, error) {
			order = append(order, string(req[:2]))
			return nil, nil
		})
	})
	for i, p := range []rt.Priority{rt.PrioBackground, rt.PrioBackground, rt.PrioHigh, rt.PrioNormal} {
		w.Go(fmt.Sprintf("client-%d", i), func(ctx context.Context) {
			req := make([]byte, 1000)
			copy(req, fmt.Sprintf("%c%d", "HNB"[p], i))
			_, _ = w.Env("a").Net.Call(ctx, "b", "log", req, rt.CallOpts{Prio: p, Timeout: time.Minute})
		})
	}
	must(t, w.Run())
	// The first sender takes the idle link whatever its priority; the
	// queue behind it drains by priority.
	if len(order) != 4 || order[1][0] != 'H' || order[2][0] != 'N' || order[3][0] != 'B' {
		t.Errorf("delivery order %v, want first sender, then H, N, B", order)
	}
}

func TestPartitionDropsMessagesInFlight(t *testing.T) {
	w := echoWorld(t)
	var err error
	w.Go("client", func(ctx context.Context) {
		_, err = w.Env("a").Net.Call(ctx, "b", "echo", nil, rt.CallOpts{Timeout: 50 * time.Millisecond})
	})
	w.At(w.Now()+500*time.Microsecond, "cut", func() { w.Network().CutOneWay([]string{"a"}, []string{"b"}) })
	must(t, w.Run())
	if !errors.Is(err, rt.ErrTimeout) {
		t.Errorf("call cut in flight: %v, want rt.ErrTimeout", err)
	}
}

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

// TestBandwidthChargesMessageSize checks the link model on 1 MiB blocks:
// a message occupies its link for its size (plus MessageOverhead) over the
// bandwidth, arrives one latency later, and what is sent meanwhile waits
// behind it, urgent messages first.
func TestBandwidthChargesMessageSize(t *testing.T) {
	const bw, lat = 1e6, time.Millisecond
	m := netem.New()
	m.SetLatency(netem.AllLinks(), lat)
	m.SetBandwidth(netem.AllLinks(), bw)
	w := New(Config{Seed: 1, Net: m})
	defer w.Close()
	arrived := map[string]time.Duration{}
	w.AddNode("a", "z1", func(rt.Env) {})
	w.AddNode("b", "z1", func(env rt.Env) {
		env.Net.Handle("put", func(_ context.Context, _ rt.NodeID, req []byte) ([]byte, error) {
			arrived[string(req[:2])] = w.Now()
			return nil, nil
		})
	})
	must(t, w.RunFor(0))
	w.Go("client", func(context.Context) {
		s := w.Env("a").Net.(rt.Starter)
		for _, m := range []struct {
			tag  string
			size int
			prio rt.Priority
		}{{"b1", 1 << 20, rt.PrioBackground}, {"b2", 1 << 20, rt.PrioBackground}, {"hi", 2, rt.PrioHigh}} {
			req := make([]byte, m.size)
			copy(req, m.tag)
			s.Start("b", "put", req, rt.CallOpts{Prio: m.prio, Timeout: time.Minute}, func([]byte, error) {})
		}
	})
	start := w.Now()
	must(t, w.Run())
	tx := func(size int) time.Duration {
		return time.Duration(float64(size+MessageOverhead) / bw * float64(time.Second))
	}
	want := map[string]time.Duration{
		"b1": tx(1<<20) + lat,
		"hi": tx(1<<20) + tx(2) + lat,
		"b2": tx(1<<20) + tx(2) + tx(1<<20) + lat,
	}
	for tag, at := range want {
		if got := arrived[tag] - start; got != at {
			t.Errorf("%s arrived after %v, want %v", tag, got, at)
		}
	}
}
