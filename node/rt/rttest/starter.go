package rttest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/gogarage/garage/node/rt"
)

// TestStarter runs the rt.Starter conformance suite on clusters made by
// newCluster: done runs exactly once, with the outcomes of Call, in the
// execution context the contract gives each kind of call (checked with
// Cluster.InTask).
func TestStarter(t *testing.T, newCluster NewCluster) {
	runCases(t, newCluster, []worldCase{
		{"Outcomes", 2, startOutcomes},
		{"KnownAtOnce", 2, startAtOnce},
		{"LateReplyDropped", 2, startLateReply},
		{"PeerStops", 2, startPeerStops},
		{"CallerStops", 2, startCallerStops},
		{"RequestReusable", 2, startReuse},
		{"DoneSpawns", 2, startDoneSpawns},
	})
}

// started records what a started call's done saw.
type started struct {
	c        *Cluster
	mu       rt.Mutex
	finished rt.Event
	returned bool // Start has returned
	calls    int
	rep      []byte
	kind     string // errKind of the outcome
	inTask   bool
	atOnce   bool // done ran before Start returned
}

// start starts a call from env and returns its record.
func start(c *Cluster, env rt.Env, to rt.NodeID, ep string, req []byte, o rt.CallOpts) *started {
	s := &started{c: c, mu: env.Tasks.NewMutex(), finished: env.Tasks.NewEvent()}
	env.Net.(rt.Starter).Start(to, ep, req, o, s.done)
	s.mu.Lock()
	s.returned = true
	s.mu.Unlock()
	return s
}

func (s *started) done(rep []byte, err error) {
	inTask := s.c.InTask()
	s.mu.Lock()
	s.calls++
	s.rep, s.kind, s.inTask, s.atOnce = rep, errKind(err), inTask, !s.returned
	s.mu.Unlock()
	s.finished.Set()
}

// wait waits for the outcome (up to long).
func (s *started) wait(env rt.Env, ctx context.Context) bool {
	wctx, cancel := within(env, ctx)
	defer cancel()
	return s.finished.Wait(wctx) == nil
}

// snapshot returns the record's fields under its mutex.
func (s *started) snapshot() started {
	s.mu.Lock()
	defer s.mu.Unlock()
	return started{calls: s.calls, rep: s.rep, kind: s.kind, inTask: s.inTask, atOnce: s.atOnce}
}

// isStarter reports whether every node's Net is an rt.Starter.
func isStarter(t *testing.T, c *Cluster) bool {
	for _, env := range c.Envs {
		if _, ok := env.Net.(rt.Starter); !ok {
			t.Errorf("the Net of %s is not an rt.Starter", env.ID)
			return false
		}
	}
	return true
}

// startOutcomes starts every call of outcomeCases to a peer and to the
// node itself: the outcomes are Call's, done runs once, outside any task
// for a peer and inside one for the node itself.
func startOutcomes(t *testing.T, c *Cluster, ctx context.Context) {
	if !isStarter(t, c) {
		return
	}
	serveBasics(c)
	a := c.Envs[0]
	for _, to := range []rt.NodeID{c.Envs[1].ID, a.ID} {
		wantInTask := to == a.ID
		for _, k := range outcomeCases() {
			s := start(c, a, to, k.ep, []byte(k.req), opts(k.timeout, rt.PrioNormal))
			if !s.wait(a, ctx) {
				t.Errorf("start %s %s(%s): done never ran", to, k.ep, k.req)
				continue
			}
			_ = a.Clock.Sleep(ctx, 10*time.Millisecond) // room for a second call of done
			got := s.snapshot()
			if got.calls != 1 || got.kind != k.want || string(got.rep) != k.rep || got.inTask != wantInTask {
				t.Errorf("start %s %s(%s): done ran %d times with %q, %s, in a task %v; want once with %q, %s, in a task %v",
					to, k.ep, k.req, got.calls, got.rep, got.kind, got.inTask, k.rep, k.want, wantInTask)
			}
		}
	}
}

// startAtOnce checks the outcomes known when Start is called: they reach
// done before Start returns, in the caller's task.
func startAtOnce(t *testing.T, c *Cluster, ctx context.Context) {
	if !isStarter(t, c) {
		return
	}
	a, b := c.Envs[0], c.Envs[1]
	check := func(what string, s *started) {
		got := s.snapshot()
		if got.calls != 1 || got.kind != "unreachable" || !got.atOnce || !got.inTask {
			t.Errorf("start %s: done ran %d times with %s, before Start returned %v, in a task %v; want once with unreachable, before Start returned, in the caller's task",
				what, got.calls, got.kind, got.atOnce, got.inTask)
		}
	}
	check("to an unknown node", start(c, a, "no-such-node", "echo", nil, opts(long, rt.PrioNormal)))
	c.Stop(1)
	check("from a stopped node", start(c, b, a.ID, "echo", nil, opts(long, rt.PrioNormal)))
}

func startLateReply(t *testing.T, c *Cluster, ctx context.Context) {
	if !isStarter(t, c) {
		return
	}
	a := c.Envs[0]
	replied := newCounter(a.Tasks)
	handle(c, "stubborn", func(env rt.Env) rt.Handler {
		return func(context.Context, rt.NodeID, []byte) ([]byte, error) {
			_ = env.Clock.Sleep(context.Background(), 2*short)
			replied.add(1)
			return []byte("late"), nil
		}
	})
	for i, to := range []rt.NodeID{c.Envs[1].ID, a.ID} {
		s := start(c, a, to, "stubborn", nil, opts(short, rt.PrioNormal))
		s.wait(a, ctx)
		waitUntil(ctx, a.Clock, long, func() bool { return replied.get() == i+1 })
		_ = a.Clock.Sleep(ctx, 20*time.Millisecond) // let the late reply arrive
		if got := s.snapshot(); got.calls != 1 || got.kind != "timeout" {
			t.Errorf("start %s stubborn: done ran %d times, last with %s; want once with timeout", to, got.calls, got.kind)
		}
	}
}

// startPeerStops stops the callee while it serves a started call: done
// runs once, outside any task, with one of the outcomes of a stopped peer.
func startPeerStops(t *testing.T, c *Cluster, ctx context.Context) {
	if !isStarter(t, c) {
		return
	}
	a := c.Envs[0]
	running := a.Tasks.NewEvent()
	handle(c, "hold", func(env rt.Env) rt.Handler {
		return func(ctx context.Context, _ rt.NodeID, _ []byte) ([]byte, error) {
			running.Set()
			return nil, env.Clock.Sleep(ctx, long)
		}
	})
	s := start(c, a, c.Envs[1].ID, "hold", nil, opts(2*time.Second, rt.PrioNormal))
	wctx, cancel := within(a, ctx)
	defer cancel()
	if running.Wait(wctx) != nil {
		t.Errorf("the handler never ran")
		return
	}
	c.Stop(1)
	s.wait(a, ctx)
	_ = a.Clock.Sleep(ctx, 10*time.Millisecond)
	if got := s.snapshot(); got.calls != 1 || !slices.Contains(stoppedKinds(), got.kind) || got.inTask {
		t.Errorf("start to a node stopped meanwhile: done ran %d times with %s, in a task %v; want once with one of %v, outside any task",
			got.calls, got.kind, got.inTask, stoppedKinds())
	}
}

// startCallerStops stops the calling node while its started call runs:
// done runs once with rt.ErrUnreachable (or a timeout).
func startCallerStops(t *testing.T, c *Cluster, ctx context.Context) {
	if !isStarter(t, c) {
		return
	}
	a, b := c.Envs[0], c.Envs[1]
	running := a.Tasks.NewEvent()
	a.Net.Handle("hold", func(hctx context.Context, _ rt.NodeID, _ []byte) ([]byte, error) {
		running.Set()
		return nil, a.Clock.Sleep(hctx, 300*time.Millisecond)
	})
	s := start(c, b, a.ID, "hold", nil, opts(2*time.Second, rt.PrioNormal))
	wctx, cancel := within(a, ctx)
	defer cancel()
	if running.Wait(wctx) != nil {
		t.Errorf("the handler never ran")
		return
	}
	c.Stop(1)
	waitUntil(ctx, a.Clock, long, func() bool { return s.snapshot().calls > 0 })
	_ = a.Clock.Sleep(ctx, 400*time.Millisecond) // past the handler's reply
	if got := s.snapshot(); got.calls != 1 || !slices.Contains(stoppedKinds(), got.kind) {
		t.Errorf("start from a node stopped meanwhile: done ran %d times with %s; want once with one of %v",
			got.calls, got.kind, stoppedKinds())
	}
}

// startReuse overwrites the request as soon as Start returns: the call
// carries the original.
func startReuse(t *testing.T, c *Cluster, ctx context.Context) {
	if !isStarter(t, c) {
		return
	}
	serveBasics(c)
	a := c.Envs[0]
	for _, to := range []rt.NodeID{c.Envs[1].ID, a.ID} {
		req := []byte("orig")
		s := start(c, a, to, "echo", req, opts(long, rt.PrioNormal))
		copy(req, "XXXX")
		s.wait(a, ctx)
		if got := s.snapshot(); got.kind != "ok" || string(got.rep) != "orig" {
			t.Errorf("start %s echo, request overwritten after Start: %q, %s; want %q, ok", to, got.rep, got.kind, "orig")
		}
	}
}

// startDoneSpawns checks that done may spawn a task and set events, in
// whatever context it runs.
func startDoneSpawns(t *testing.T, c *Cluster, ctx context.Context) {
	if !isStarter(t, c) {
		return
	}
	serveBasics(c)
	a := c.Envs[0]
	for _, to := range []rt.NodeID{c.Envs[1].ID, a.ID, "no-such-node"} {
		ran := a.Tasks.NewEvent()
		a.Net.(rt.Starter).Start(to, "echo", nil, opts(long, rt.PrioNormal), func([]byte, error) {
			a.Tasks.Spawn("from-done", func(context.Context) { ran.Set() })
		})
		wctx, cancel := within(a, ctx)
		if err := ran.Wait(wctx); err != nil {
			t.Errorf("start %s: the task spawned by done did not run (%v)", to, err)
		}
		cancel()
	}
}
