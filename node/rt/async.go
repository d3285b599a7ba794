package rt

import "context"

// Starter is an optional extension of Net: a Net that can start a call
// without a task of its own waiting for the reply. A quorum of n calls then
// costs the caller one wait instead of n tasks, each parked in Call. Both
// drivers' Nets implement it (node/rt/rttest.TestStarter holds them to this
// contract); a Net that does not is served by StartCall with one task per
// call.
type Starter interface {
	// Start sends req to node to as Call would, under the node's lifetime
	// (a call still running when the node shuts down ends with an error),
	// and returns at once. The caller may reuse req as soon as Start
	// returns. done receives the outcome (the same replies and errors as
	// Call, rt.ErrTimeout at opts.Timeout) exactly once, in one of three
	// execution contexts, the same in both worlds:
	//
	//   - before Start returns, in the caller's context, when the outcome
	//     is known at once: this node is down, the peer is unknown;
	//   - for a call to the node itself, in a task of the node, which runs
	//     the handler as Call would (the starting task itself, inline,
	//     when the driver may block it: the simulator does so when it
	//     holds no Mutex; otherwise a new task);
	//   - otherwise later, from the driver, outside any task (the
	//     simulator's scheduler; a network goroutine of node/host). An
	//     exception: when the calling node shuts down, done may run in the
	//     context of whoever shut it down.
	//
	// Outside a task done must not block: it may lock a Mutex for a short
	// section, set events, resolve futures and spawn tasks, and no more.
	Start(to NodeID, endpoint string, req []byte, opts CallOpts, done func(rep []byte, err error))
}

// StartCall starts a call of endpoint on node to through n and passes its
// outcome to done (see Starter.Start): natively when n is a Starter,
// otherwise from a new task of t that waits in n.Call under the node's
// lifetime context (then done runs in that task, whatever the call).
func StartCall(t Tasks, n Net, to NodeID, endpoint string, req []byte, opts CallOpts,
	done func(rep []byte, err error)) {
	if s, ok := n.(Starter); ok {
		s.Start(to, endpoint, req, opts, done)
		return
	}
	t.Spawn("rpc-call", func(ctx context.Context) { done(n.Call(ctx, to, endpoint, req, opts)) })
}
