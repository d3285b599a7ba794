package host

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/gogarage/garage/node/rt"
)

// errCallDone marks a call abandoned because its context (the caller's or
// the call timeout) ended; Call maps it to ctx.Err() or rt.ErrTimeout.
var errCallDone = errors.New("call context done")

// Call sends req to node to and waits for the reply; see rt.Net. Errors
// wrap rt.ErrTimeout, rt.ErrUnreachable (unknown peer, dial failure,
// connection lost mid-call, closed Net), rt.ErrNoHandler or the caller's
// ctx.Err(); a handler's error is returned as a *rt.RemoteError.
//
// The handler's context ends at the caller's deadline (the remaining time
// travels in the request) and when the caller cancels (a cancel frame
// follows the request), as well as when the callee's Net closes.
func (n *Net) Call(ctx context.Context, to rt.NodeID, endpoint string, req []byte, opts rt.CallOpts) ([]byte, error) {
	if len(req) > n.cfg.MaxMessage {
		return nil, fmt.Errorf("call %s %s: request of %d bytes exceeds %d",
			to, endpoint, len(req), n.cfg.MaxMessage)
	}
	if len(endpoint) > maxEndpoint {
		return nil, fmt.Errorf("call %s: endpoint name of %d bytes", to, len(endpoint))
	}
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = rt.DefaultCallTimeout
	}
	cctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	start := time.Now()
	var resp []byte
	var err error
	if to == n.id {
		resp, err = n.callSelf(cctx, endpoint, req)
	} else {
		resp, err = n.callRemote(cctx, to, endpoint, req, opts.Prio)
	}
	n.stats.record(to, endpoint, time.Since(start), err)
	return resp, callError(ctx, to, endpoint, err)
}

// callError adds context to a call's error and resolves errCallDone.
func callError(ctx context.Context, to rt.NodeID, endpoint string, err error) error {
	var re *rt.RemoteError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &re):
		return re
	case errors.Is(err, errCallDone) && ctxEnded(ctx) != nil:
		err = ctxEnded(ctx)
	case errors.Is(err, errCallDone):
		err = rt.ErrTimeout
	}
	return fmt.Errorf("call %s %s: %w", to, endpoint, err)
}

// ctxEnded returns ctx.Err(), or DeadlineExceeded if ctx's deadline has
// passed although its timer has not fired yet: a reply saying the budget
// ran out can overtake the caller's own timer.
func ctxEnded(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if dl, ok := ctx.Deadline(); ok && !time.Now().Before(dl) {
		return context.DeadlineExceeded
	}
	return nil
}

// callSelf runs the local handler in its own goroutine, on copies of the
// request and reply, as if it had crossed the network.
func (n *Net) callSelf(ctx context.Context, endpoint string, req []byte) ([]byte, error) {
	h := n.handler(endpoint)
	if h == nil {
		return nil, rt.ErrNoHandler
	}
	type result struct {
		resp []byte
		err  error
	}
	done := make(chan result, 1)
	hd := header{endpoint: endpoint, budget: budgetOf(ctx)}
	hctx, cancel := n.handlerContext(hd)
	ok := n.goTask(func() {
		defer cancel()
		resp, err := n.runHandler(hctx, h, hd, n.id, slices.Clone(req))
		done <- result{slices.Clone(resp), err}
	})
	if !ok {
		cancel()
		return nil, errClosed
	}
	select {
	case r := <-done:
		if errors.Is(r.err, errBudget) {
			return nil, errCallDone
		}
		if errors.Is(r.err, errShutdown) {
			return nil, errClosed
		}
		if r.err != nil {
			return nil, &rt.RemoteError{Endpoint: endpoint, Msg: r.err.Error()}
		}
		return r.resp, nil
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.Canceled) {
			cancel() // a timeout reaches the handler through its own budget
		}
		return nil, errCallDone
	}
}

// callRemote sends the request on the peer's connection and waits. A
// connection retired between lookup and send is skipped for the next one.
func (n *Net) callRemote(ctx context.Context, to rt.NodeID, endpoint string, req []byte, prio rt.Priority) ([]byte, error) {
	h := header{typ: ftRequest, prio: prio, endpoint: endpoint, budget: budgetOf(ctx)}
	for {
		c, err := n.connFor(ctx, to)
		if err != nil {
			return nil, err
		}
		id, ch, err := c.startCall(h, req)
		if errors.Is(err, errRetired) {
			continue
		}
		return c.wait(ctx, endpoint, id, ch)
	}
}

// wait blocks until the reply to call id arrives, ctx ends or the
// connection dies.
func (c *conn) wait(ctx context.Context, endpoint string, id uint64, ch chan inReply) ([]byte, error) {
	select {
	case r := <-ch:
		return decodeReply(endpoint, r)
	case <-ctx.Done():
		c.forget(id)
		if errors.Is(ctx.Err(), context.Canceled) {
			// A timeout reaches the handler through its own budget.
			c.send(header{typ: ftCancel, prio: rt.PrioHigh, id: id}, nil)
		}
		return nil, errCallDone
	case <-c.dead:
		select {
		case r := <-ch: // the reply won the race with the close
			return decodeReply(endpoint, r)
		default:
			return nil, errConnLost
		}
	}
}

// decodeReply maps a reply's status to the caller's result.
func decodeReply(endpoint string, r inReply) ([]byte, error) {
	switch r.st {
	case statusOK:
		return r.payload, nil
	case statusError:
		return nil, &rt.RemoteError{Endpoint: endpoint, Msg: string(r.payload)}
	case statusNoHandler:
		return nil, rt.ErrNoHandler
	case statusTimeout:
		return nil, errCallDone
	case statusShutdown:
		return nil, errPeerShutdown
	case statusBadFrame:
		return nil, &rt.RemoteError{Endpoint: endpoint, Msg: "bad frame: " + string(r.payload)}
	}
	return nil, &rt.RemoteError{Endpoint: endpoint, Msg: fmt.Sprintf("unknown reply status %d", r.st)}
}
