package rttest

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/gogarage/garage/node/rt"
)

// TestNet runs the rt.Net conformance suite on clusters made by newCluster:
// round trips, calls to the node itself, every error of Call, copies of
// messages, large messages and priorities.
func TestNet(t *testing.T, newCluster NewCluster) {
	runCases(t, newCluster, []worldCase{
		{"RoundTrip", 2, netRoundTrip},
		{"CallOutcomes", 2, netOutcomes},
		{"UnknownPeer", 1, netUnknownPeer},
		{"LateReplyDropped", 2, netLateReply},
		{"HandlerSeesCallerDeadline", 2, netHandlerDeadline},
		{"HandlerSeesCallerCancel", 2, netHandlerCancel},
		{"ContextEnds", 2, netContextEnds},
		{"StoppedPeer", 2, netStoppedPeer},
		{"StoppedDuringCall", 2, netStoppedDuringCall},
		{"MessagesCopied", 2, netCopies},
		{"MessageSizes", 2, netSizes},
		{"PriorityPassesBulk", 2, netPriority},
	})
}

// call is Call with the error classified by errKind.
func call(ctx context.Context, env rt.Env, to rt.NodeID, ep string, req []byte, o rt.CallOpts) ([]byte, string) {
	rep, err := env.Net.Call(ctx, to, ep, req, o)
	return rep, errKind(err)
}

func netRoundTrip(t *testing.T, c *Cluster, ctx context.Context) {
	serveBasics(c)
	a, b := c.Envs[0], c.Envs[1]
	for _, k := range []struct {
		from     rt.Env
		to       rt.NodeID
		ep, want string
	}{
		{a, b.ID, "echo", "hi"}, {a, b.ID, "from", string(a.ID)},
		{b, a.ID, "from", string(b.ID)}, {a, a.ID, "from", string(a.ID)},
	} {
		rep, kind := call(ctx, k.from, k.to, k.ep, []byte("hi"), opts(long, rt.PrioNormal))
		if kind != "ok" || string(rep) != k.want {
			t.Errorf("%s calls %s on %s: %q, %s; want %q, ok", k.from.ID, k.ep, k.to, rep, kind, k.want)
		}
	}
}

// outcomeCase is a call and the outcome the contract gives it, for a call
// to a peer and a call to the node itself alike.
type outcomeCase struct {
	ep, req string
	timeout time.Duration
	want    string // errKind of the outcome
	rep     string // the reply, when want is "ok"
}

// outcomeCases are the calls whose outcomes both worlds must agree on.
func outcomeCases() []outcomeCase {
	return []outcomeCase{
		{"echo", "x", long, "ok", "x"},
		{"nope", "x", long, "no handler", ""},
		{"fail", "x", long, "remote fail: boom: x", ""},
		{"sleep", "1s", short, "timeout", ""},
		{"sleep", "1ms", long, "ok", "late"},
	}
}

func netOutcomes(t *testing.T, c *Cluster, ctx context.Context) {
	serveBasics(c)
	a := c.Envs[0]
	for _, to := range []rt.NodeID{c.Envs[1].ID, a.ID} {
		for _, k := range outcomeCases() {
			rep, kind := call(ctx, a, to, k.ep, []byte(k.req), opts(k.timeout, rt.PrioNormal))
			if kind != k.want || string(rep) != k.rep {
				t.Errorf("call %s %s(%s): %q, %s; want %q, %s", to, k.ep, k.req, rep, kind, k.rep, k.want)
			}
		}
	}
}

func netUnknownPeer(t *testing.T, c *Cluster, ctx context.Context) {
	if _, kind := call(ctx, c.Envs[0], "no-such-node", "echo", nil, opts(long, rt.PrioNormal)); kind != "unreachable" {
		t.Errorf("call to an unknown node: %s, want unreachable", kind)
	}
}

// netLateReply checks that a reply coming after the timeout is dropped:
// the caller saw a timeout, and the next call on the same path gets its
// own reply.
func netLateReply(t *testing.T, c *Cluster, ctx context.Context) {
	serveBasics(c)
	replied := newCounter(c.Envs[0].Tasks)
	handle(c, "stubborn", func(env rt.Env) rt.Handler {
		return func(context.Context, rt.NodeID, []byte) ([]byte, error) {
			_ = env.Clock.Sleep(context.Background(), 2*short) // ignores the caller's timeout
			replied.add(1)
			return []byte("late"), nil
		}
	})
	a := c.Envs[0]
	for i, to := range []rt.NodeID{c.Envs[1].ID, a.ID} {
		if rep, kind := call(ctx, a, to, "stubborn", nil, opts(short, rt.PrioNormal)); kind != "timeout" {
			t.Errorf("call %s stubborn: %q, %s; want timeout", to, rep, kind)
		}
		waitUntil(ctx, a.Clock, long, func() bool { return replied.get() == i+1 })
		_ = a.Clock.Sleep(ctx, 20*time.Millisecond) // let the late reply arrive
		if rep, kind := call(ctx, a, to, "echo", []byte("next"), opts(long, rt.PrioNormal)); kind != "ok" || string(rep) != "next" {
			t.Errorf("call %s echo after a late reply: %q, %s; want %q, ok", to, rep, kind, "next")
		}
	}
}

// netHandlerDeadline checks that a handler's context ends at the caller's
// timeout: the handler of a call that timed out stops waiting then, with
// DeadlineExceeded, instead of working on for nobody.
func netHandlerDeadline(t *testing.T, c *Cluster, ctx context.Context) {
	a := c.Envs[0]
	ended := newLog(a.Tasks)
	handle(c, "wait", func(env rt.Env) rt.Handler {
		return func(hctx context.Context, _ rt.NodeID, _ []byte) ([]byte, error) {
			err := env.Clock.Sleep(hctx, time.Second)
			ended.add(errKind(err))
			return nil, err
		}
	})
	for i, to := range []rt.NodeID{c.Envs[1].ID, a.ID} {
		if _, kind := call(ctx, a, to, "wait", nil, opts(short, rt.PrioNormal)); kind != "timeout" {
			t.Errorf("call %s wait: %s, want timeout", to, kind)
		}
		waitUntil(ctx, a.Clock, long, func() bool { return len(ended.all()) == i+1 })
		if got := ended.all(); len(got) != i+1 || got[i] != "deadline" {
			t.Errorf("handler on %s of a call that timed out: its sleep ended with %q, want deadline", to, got)
		}
	}
}

// netHandlerCancel checks that a caller cancelling its call ends the
// handler's context: the handler stops waiting with Canceled.
func netHandlerCancel(t *testing.T, c *Cluster, ctx context.Context) {
	a := c.Envs[0]
	ended, started := newLog(a.Tasks), newCounter(a.Tasks)
	handle(c, "wait", func(env rt.Env) rt.Handler {
		return func(hctx context.Context, _ rt.NodeID, _ []byte) ([]byte, error) {
			started.add(1)
			err := env.Clock.Sleep(hctx, time.Second)
			ended.add(errKind(err))
			return nil, err
		}
	})
	for i, to := range []rt.NodeID{c.Envs[1].ID, a.ID} {
		cctx, cancel := a.Tasks.WithCancel(ctx)
		a.Tasks.Spawn("canceller", func(tctx context.Context) {
			waitUntil(tctx, a.Clock, long, func() bool { return started.get() == i+1 })
			cancel()
		})
		if _, kind := call(cctx, a, to, "wait", nil, opts(long, rt.PrioNormal)); kind != "canceled" {
			t.Errorf("call %s wait: %s, want canceled", to, kind)
		}
		waitUntil(ctx, a.Clock, long, func() bool { return len(ended.all()) == i+1 })
		if got := ended.all(); len(got) != i+1 || got[i] != "canceled" {
			t.Errorf("handler on %s of a call its caller cancelled: its sleep ended with %q, want canceled", to, got)
		}
	}
}

// netContextEnds checks that a call whose context ends returns ctx.Err():
// cancelled before, cancelled during, and a deadline shorter than the
// call's timeout.
func netContextEnds(t *testing.T, c *Cluster, ctx context.Context) {
	serveBasics(c)
	a := c.Envs[0]
	for _, to := range []rt.NodeID{c.Envs[1].ID, a.ID} {
		done, cancel := a.Tasks.WithCancel(ctx)
		cancel()
		if _, kind := call(done, a, to, "echo", nil, opts(long, rt.PrioNormal)); kind != "canceled" {
			t.Errorf("call %s with a cancelled context: %s, want canceled", to, kind)
		}
		cctx, cancel := a.Tasks.WithCancel(ctx)
		a.Tasks.Spawn("canceller", func(tctx context.Context) {
			_ = a.Clock.Sleep(tctx, 20*time.Millisecond)
			cancel()
		})
		if _, kind := call(cctx, a, to, "sleep", []byte("1s"), opts(long, rt.PrioNormal)); kind != "canceled" {
			t.Errorf("call %s cancelled while running: %s, want canceled", to, kind)
		}
		dctx, stop := a.Tasks.WithTimeout(ctx, 30*time.Millisecond)
		if _, kind := call(dctx, a, to, "sleep", []byte("1s"), opts(long, rt.PrioNormal)); kind != "deadline" {
			t.Errorf("call %s under a shorter context deadline: %s, want deadline (ctx.Err)", to, kind)
		}
		stop()
	}
}

// stoppedKinds are the outcomes rt.Net allows for a call to a stopped node.
func stoppedKinds() []string { return []string{"unreachable", "timeout"} }

func netStoppedPeer(t *testing.T, c *Cluster, ctx context.Context) {
	serveBasics(c)
	a, b := c.Envs[0], c.Envs[1]
	if _, kind := call(ctx, a, b.ID, "echo", nil, opts(long, rt.PrioNormal)); kind != "ok" {
		t.Errorf("call before the stop: %s", kind)
		return
	}
	c.Stop(1)
	for range 2 {
		if _, kind := call(ctx, a, b.ID, "echo", nil, opts(short, rt.PrioNormal)); !slices.Contains(stoppedKinds(), kind) {
			t.Errorf("call to a stopped node: %s, want one of %v", kind, stoppedKinds())
		}
	}
	if _, kind := call(ctx, b, a.ID, "echo", nil, opts(short, rt.PrioNormal)); kind != "unreachable" {
		t.Errorf("call from a stopped node: %s, want unreachable", kind)
	}
}

func netStoppedDuringCall(t *testing.T, c *Cluster, ctx context.Context) {
	serveBasics(c)
	a := c.Envs[0]
	running := a.Tasks.NewEvent()
	handle(c, "hold", func(env rt.Env) rt.Handler {
		return func(ctx context.Context, _ rt.NodeID, _ []byte) ([]byte, error) {
			running.Set()
			return nil, env.Clock.Sleep(ctx, long)
		}
	})
	a.Tasks.Spawn("stopper", func(tctx context.Context) {
		if running.Wait(tctx) == nil {
			c.Stop(1)
		}
	})
	if _, kind := call(ctx, a, c.Envs[1].ID, "hold", nil, opts(2*time.Second, rt.PrioNormal)); !slices.Contains(stoppedKinds(), kind) {
		t.Errorf("call to a node stopped while serving it: %s, want one of %v", kind, stoppedKinds())
	}
}

// netCopies checks that nothing is shared between caller and handler but
// bytes: a handler scribbling on its request changes nothing for the
// caller, and the reply is the caller's own.
func netCopies(t *testing.T, c *Cluster, ctx context.Context) {
	replies := newLog(c.Envs[0].Tasks) // what the handlers returned, as they see it now
	var last []byte
	handle(c, "scribble", func(rt.Env) rt.Handler {
		return func(_ context.Context, _ rt.NodeID, req []byte) ([]byte, error) {
			req[0] = 'X'
			last = []byte("reply")
			return last, nil
		}
	})
	a := c.Envs[0]
	for _, to := range []rt.NodeID{c.Envs[1].ID, a.ID} {
		req := []byte("orig")
		rep, kind := call(ctx, a, to, "scribble", req, opts(long, rt.PrioNormal))
		if kind != "ok" || string(req) != "orig" || string(rep) != "reply" {
			t.Errorf("call %s scribble: %q, %s, request now %q; want %q, ok, %q", to, rep, kind, req, "reply", "orig")
			continue
		}
		rep[0] = 'Y'
		replies.add(string(last))
	}
	if got := replies.all(); !slices.Equal(got, []string{"reply", "reply"}) {
		t.Errorf("handlers' replies after the callers wrote to theirs: %q; want them untouched", got)
	}
}

func netSizes(t *testing.T, c *Cluster, ctx context.Context) {
	serveBasics(c)
	a := c.Envs[0]
	r := rand.New(rand.NewPCG(3, 4))
	for _, size := range []int{0, 1, 1 << 10, 1 << 20, 4 << 20} {
		msg := make([]byte, size)
		for i := range msg {
			msg[i] = byte(r.Uint32())
		}
		for _, to := range []rt.NodeID{c.Envs[1].ID, a.ID} {
			rep, kind := call(ctx, a, to, "echo", msg, opts(long, rt.PrioNormal))
			if kind != "ok" || !bytes.Equal(rep, msg) {
				t.Errorf("echo of %d bytes via %s: %d bytes back, %s; want them intact", size, to, len(rep), kind)
			}
		}
	}
}

// netPriority checks that an urgent call passes bulk background transfers
// queued before it: of four 4 MiB background requests started first, at
// most one reaches the peer before the urgent one (started right after
// them, so that a real writer has sent little meanwhile). It looks at the
// order of arrival, never at the clock.
func netPriority(t *testing.T, c *Cluster, ctx context.Context) {
	a, b := c.Envs[0], c.Envs[1]
	arrivals := newLog(a.Tasks)
	handle(c, "log", func(rt.Env) rt.Handler {
		return func(_ context.Context, _ rt.NodeID, req []byte) ([]byte, error) {
			arrivals.add(string(req[:min(len(req), 4)]))
			return nil, nil
		}
	})
	if _, kind := call(ctx, a, b.ID, "log", []byte("warm"), opts(long, rt.PrioNormal)); kind != "ok" {
		t.Errorf("warm-up call: %s", kind)
		return
	}
	finished := newCounter(a.Tasks)
	send := func(msg []byte, p rt.Priority) {
		rt.StartCall(a.Tasks, a.Net, b.ID, "log", msg, opts(long, p), func([]byte, error) { finished.add(1) })
	}
	bulk := make([][]byte, 4)
	for i := range bulk {
		bulk[i] = make([]byte, 4<<20)
		copy(bulk[i], fmt.Sprintf("bg-%d", i))
	}
	for _, msg := range bulk {
		send(msg, rt.PrioBackground)
	}
	send([]byte("high"), rt.PrioHigh)
	waitUntil(ctx, a.Clock, long, func() bool { return finished.get() == 5 })
	got := arrivals.all()
	if i := slices.Index(got, "high"); i < 1 || i > 2 || len(got) != 6 {
		t.Errorf("arrivals %q: want warm, at most one bg, high, then the other bg", got)
	}
}
