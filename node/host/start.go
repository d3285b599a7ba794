package host

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/gogarage/garage/node/rt"
)

var _ rt.Starter = (*Net)(nil)

// Start sends req to node to as Call would, under the Net's lifetime, and
// returns at once; see rt.Starter. done runs exactly once, outside any
// task, as in the simulator: on the connection's reader goroutine when the
// reply arrives, on a timer's goroutine at the timeout, on the goroutine
// that closes the connection when it is lost (ErrUnreachable), or, when no
// connection to the peer is ready yet, on a goroutine of the Net that
// dials and waits as Call does. Errors known at once reach done before
// Start returns: a closed Net, an unknown peer, an oversized request. A
// call to the node itself runs its handler in a new task of the node
// (a goroutine, like a handler serving a peer), and done in that task.
func (n *Net) Start(to rt.NodeID, endpoint string, req []byte, opts rt.CallOpts, done func(rep []byte, err error)) {
	if err := n.checkStart(to, endpoint, req); err != nil {
		done(nil, callError(n.ctx, to, endpoint, err))
		return
	}
	req = slices.Clone(req) // the caller may reuse its buffer at once
	if to == n.id {
		n.startOn(n.goTask, to, endpoint, req, opts, done)
		return
	}
	if c := n.activeConn(to); c != nil && c.startAsync(to, endpoint, req, opts, done) {
		return
	}
	n.startOn(n.goTracked, to, endpoint, req, opts, done)
}

// startOn runs the call in a goroutine started by spawn (goTask or
// goTracked), which waits in Call and then runs done.
func (n *Net) startOn(spawn func(func()) bool, to rt.NodeID, endpoint string, req []byte,
	opts rt.CallOpts, done func([]byte, error)) {
	ok := spawn(func() {
		rep, err := n.Call(n.ctx, to, endpoint, req, opts)
		if errors.Is(err, context.Canceled) && n.ctx.Err() != nil {
			err = callError(n.ctx, to, endpoint, errClosed) // this node shut down
		}
		done(rep, err)
	})
	if !ok {
		done(nil, callError(n.ctx, to, endpoint, errClosed))
	}
}

// checkStart returns the error a call would fail with at once, if any.
func (n *Net) checkStart(to rt.NodeID, endpoint string, req []byte) error {
	if len(req) > n.cfg.MaxMessage {
		return fmt.Errorf("request of %d bytes exceeds %d", len(req), n.cfg.MaxMessage)
	}
	if len(endpoint) > maxEndpoint {
		return fmt.Errorf("endpoint name of %d bytes", len(endpoint))
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.closed {
		return errClosed
	}
	if to != n.id && n.peers[to] == nil {
		return fmt.Errorf("unknown peer: %w", rt.ErrUnreachable)
	}
	return nil
}

// activeConn returns the pair's connection to node to, if settled.
func (n *Net) activeConn(to rt.NodeID) *conn {
	n.mu.Lock()
	defer n.mu.Unlock()
	if p := n.peers[to]; p != nil {
		return p.active
	}
	return nil
}

// startedCall is a call whose outcome goes to a callback: the reply (from
// the reader), its timer, or the loss of its connection, whichever takes
// it out of conn.started first.
type startedCall struct {
	n        *Net
	to       rt.NodeID
	endpoint string
	done     func([]byte, error)
	timer    *time.Timer
	start    time.Time
}

// finish passes the call's outcome to its callback, with the errors of
// Call.
func (sc *startedCall) finish(rep []byte, err error) {
	if sc.timer != nil {
		sc.timer.Stop()
	}
	sc.n.stats.record(sc.to, sc.endpoint, time.Since(sc.start), err)
	if errors.Is(err, errCallDone) && sc.n.ctx.Err() != nil {
		err = errClosed // this node shut down
	}
	sc.done(rep, callError(sc.n.ctx, sc.to, sc.endpoint, err))
}

// startAsync registers a started call and queues its request; it reports
// false, doing nothing, if the connection takes no more calls.
func (c *conn) startAsync(to rt.NodeID, endpoint string, req []byte, opts rt.CallOpts, done func([]byte, error)) bool {
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = rt.DefaultCallTimeout
	}
	h := header{typ: ftRequest, prio: opts.Prio, endpoint: endpoint, budget: budgetMs(timeout)}
	sc := &startedCall{n: c.n, to: to, endpoint: endpoint, done: done, start: time.Now()}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.sentGA || c.isDead() {
		return false
	}
	c.nextID++
	h.id = c.nextID
	c.started[h.id] = sc
	sc.timer = time.AfterFunc(timeout, func() { c.timeoutStarted(h.id) })
	c.q.push(&outMsg{h: h, payload: req}) // under mu: ordered before our goaway
	return true
}

// timeoutStarted ends started call id with a timeout unless its outcome
// came first.
func (c *conn) timeoutStarted(id uint64) {
	c.mu.Lock()
	sc := c.takeStartedLocked(id)
	c.mu.Unlock()
	if sc != nil {
		sc.finish(nil, errCallDone)
		c.checkFin()
	}
}

// takeStartedLocked removes and returns started call id (nil if its
// outcome was already taken). c.mu must be held.
func (c *conn) takeStartedLocked(id uint64) *startedCall {
	sc := c.started[id]
	delete(c.started, id)
	return sc
}

// failStarted ends every started call still waiting on the closed
// connection, in the order they were started.
func (c *conn) failStarted() {
	c.mu.Lock()
	ids := make([]uint64, 0, len(c.started))
	for id := range c.started {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	calls := make([]*startedCall, len(ids))
	for i, id := range ids {
		calls[i] = c.takeStartedLocked(id)
	}
	c.mu.Unlock()
	for _, sc := range calls {
		sc.finish(nil, errConnLost)
	}
}
