package rt

import "context"

// Starter is an optional extension of Net: a Net that can start a call
// without a task of its own waiting for the reply. A quorum of n calls then
// costs the caller one wait instead of n tasks, each parked in Call. The
// simulator's Net implements it; a Net that does not is served by StartCall
// with one task per call, as before.
type Starter interface {
	// Start sends req to node to as Call would, under the node's lifetime
	// (a call still running when the node shuts down ends with an error),
	// and returns at once. done receives the outcome (the same replies and
	// errors as Call) exactly once: either before Start returns or later
	// from the driver, outside any task. done must not block: it may lock a
	// Mutex for a short section, set events and spawn tasks.
	Start(to NodeID, endpoint string, req []byte, opts CallOpts, done func(rep []byte, err error))
}

// StartCall starts a call of endpoint on node to through n and passes its
// outcome to done (see Starter.Start): natively when n is a Starter,
// otherwise from a new task of t that waits in n.Call under the node's
// lifetime context.
func StartCall(t Tasks, n Net, to NodeID, endpoint string, req []byte, opts CallOpts,
	done func(rep []byte, err error)) {
	if s, ok := n.(Starter); ok {
		s.Start(to, endpoint, req, opts, done)
		return
	}
	t.Spawn("rpc-call", func(ctx context.Context) { done(n.Call(ctx, to, endpoint, req, opts)) })
}
