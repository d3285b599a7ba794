package sim

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/gogarage/garage/node/rt"
)

// MessageOverhead is the size added to every payload when the network model
// is asked about a message (framing, headers, request id).
const MessageOverhead = 64

// call is one outstanding RPC.
type call struct {
	w        *World
	id       uint64
	pos      int          // in inc.calls
	inc      *incarnation // caller's incarnation
	waiter   waker
	done     bool
	cb       func([]byte, error) // a started call's outcome, instead of waiter
	reply    []byte
	err      error
	timer    timer         // the call's timeout
	deadline time.Duration // when the timeout fires: the end of its handlers' contexts
	prio     rt.Priority
	endpoint string
	req, rep message    // the request, and the first reply sent
	replied  bool       // rep is taken: a duplicated request's reply needs its own
	inflight int        // arrivals armed and messages queued that name the call
	handlers int        // handler tasks serving its request and not done
	hctxs    []*simCtx  // the contexts of the handler tasks it started
	hfirst   [1]*simCtx // initial backing array of hctxs: none allocated for one handler
}

// replyMsg returns a message for a reply to c.
func (c *call) replyMsg(m message) *message {
	m.c, m.reply = c, true
	if !c.replied {
		c.replied, c.rep = true, m
		return &c.rep
	}
	dup := new(message) // not &m: m would escape on every call
	*dup = m
	return dup
}

// finish completes the call (the first outcome wins) and wakes the caller.
func (c *call) finish(reply []byte, err error) {
	if c.done {
		return
	}
	c.done, c.reply, c.err = true, reply, err
	c.w.stop(&c.timer)
	c.inc.calls.remove(c)
	if cb := c.cb; cb != nil {
		inc := c.inc
		c.w.recycleCall(c)
		if inc.paused {
			inc.holdDone(cb, reply, err)
			return
		}
		cb(reply, err)
		return
	}
	c.w.wake(c.waiter)
}

// fire ends the call with ErrTimeout.
func (c *call) fire(*World) { c.finish(nil, rt.ErrTimeout) }

// netPort is the sim rt.Net of one incarnation.
type netPort struct {
	w   *World
	inc *incarnation
}

var (
	_ rt.Net     = (*netPort)(nil)
	_ rt.Starter = (*netPort)(nil)
)

// Handle registers h for endpoint on this incarnation.
func (p *netPort) Handle(endpoint string, h rt.Handler) {
	if !p.inc.dead {
		p.inc.handlers[endpoint] = h
	}
}

// Call sends req through the network model at opts.Prio (see link.go) and
// parks the task until the reply arrives, the timeout passes (ErrTimeout:
// lost message, partition, crashed or slow peer) or ctx is done. Requests
// and replies are copied: nothing is shared between nodes.
func (p *netPort) Call(ctx context.Context, to rt.NodeID, endpoint string, req []byte, opts rt.CallOpts) ([]byte, error) {
	w := p.w
	if p.inc.dead {
		return nil, rt.ErrUnreachable
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if to == p.inc.n.id {
		return p.callSelf(ctx, endpoint, req, opts.Timeout)
	}
	dst := w.nodes[to]
	if dst == nil {
		return nil, rt.ErrUnreachable
	}
	c := p.newCall(endpoint, opts, w.prepare("Net.Call"))
	c.req = message{from: p.inc.n.id, to: to, fi: p.inc.n.netIdx, ti: dst.netIdx, size: len(req), c: c, payload: clone(req)}
	w.send(&c.req, opts.Prio)
	return c.await(ctx)
}

// Start sends req like Call but parks nothing (see rt.Starter): the reply
// message or the timeout finishes the call by running done outside any
// task, the crash of this node from the context of its Crash. A call to
// the node itself runs the handler inline, as Call does, when a task
// holding no rt.Mutex starts it (the handler may block it: start such
// calls last); otherwise in a new task of the node. Errors known at once
// (a down node, an unknown peer) reach done before Start returns.
func (p *netPort) Start(to rt.NodeID, endpoint string, req []byte, opts rt.CallOpts, done func([]byte, error)) {
	w := p.w
	switch {
	case p.inc.dead:
		done(nil, rt.ErrUnreachable)
	case to == p.inc.n.id:
		p.startSelf(endpoint, req, opts.Timeout, done)
	default:
		dst := w.nodes[to]
		if dst == nil {
			done(nil, rt.ErrUnreachable)
			return
		}
		c := p.newCall(endpoint, opts, waker{})
		c.cb = done
		c.req = message{from: p.inc.n.id, to: to, fi: p.inc.n.netIdx, ti: dst.netIdx, size: len(req), c: c, payload: clone(req)}
		w.send(&c.req, opts.Prio)
	}
}

// startSelf runs a started call to the node itself: inline in the current
// task if it may block (as Call would run it), else in a task of the node.
func (p *netPort) startSelf(endpoint string, req []byte, timeout time.Duration, done func([]byte, error)) {
	if t := p.w.cur; t != nil && t.held == 0 {
		done(p.callSelf(p.inc.life, endpoint, req, timeout))
		return
	}
	req = clone(req) // the caller may reuse its buffer before the task runs
	p.w.spawn("rpc-self", p.inc, p.inc.life, func(ctx context.Context) { done(p.callSelf(ctx, endpoint, req, timeout)) })
}

// newCall registers a call with its timeout armed; a call of the current
// task names the task's park as waiter.
func (p *netPort) newCall(endpoint string, opts rt.CallOpts, waiter waker) *call {
	w := p.w
	w.calls++
	c := w.newCall()
	c.w, c.id, c.inc, c.waiter, c.prio, c.endpoint = w, w.calls, p.inc, waiter, opts.Prio, endpoint
	c.deadline = w.now + p.timeout(opts.Timeout)
	w.arm(&c.timer, c.deadline-w.now, c, waker{})
	p.inc.calls.add(c)
	return c
}

// await parks the caller until the call finishes or ctx is done.
func (c *call) await(ctx context.Context) ([]byte, error) {
	cw := c.w.watch(ctx, c.waiter)
	for !c.done && ctx.Err() == nil {
		c.w.park(kindCall, false)
		c.waiter.gen++ // the next park, if any, is the new one
	}
	cw.stop()
	if !c.done {
		c.finish(nil, ctx.Err())
		c.cancelHandlers(ctx.Err())
	}
	reply, err := c.reply, c.err
	c.w.recycleCall(c)
	return reply, err
}

// cancelHandlers passes the cancellation of a caller that gave up (not
// one that timed out: its deadline is already the handlers') to the
// handlers serving the call, one latency later, as node/host's cancel
// frame does. A request still in flight runs its handler in full.
func (c *call) cancelHandlers(err error) {
	if !errors.Is(err, context.Canceled) || len(c.hctxs) == 0 {
		return
	}
	hctxs := slices.Clone(c.hctxs) // c may be recycled before the cancel lands
	lat := c.w.net.Latency(string(c.inc.n.id), string(c.req.to))
	c.w.after(lat, func() {
		for _, h := range hctxs {
			h.cancel(context.Canceled)
		}
	})
}

// newCall returns a blank call, recycled if one is free.
func (w *World) newCall() *call { return w.freeCalls.get() }

// recycleCall keeps a finished call for reuse if nothing can reach it any
// more: no message of it armed or queued, no handler task serving it. The
// common call (one request, one handler, one reply) is then reused; a
// call that timed out, was duplicated or lost a handler to a crash is
// left to the garbage collector.
func (w *World) recycleCall(c *call) {
	if !c.done || c.inflight != 0 || c.handlers != 0 || c.timer.armed() {
		return
	}
	w.freeCalls.put(c)
}

// callSelf runs the handler inline, as a local function call, under the
// call's timeout. A handler still running when ctx ended or the timeout
// passed gets its outcome dropped, as a late reply from a peer would be:
// the call fails with ctx.Err() or rt.ErrTimeout.
func (p *netPort) callSelf(ctx context.Context, endpoint string, req []byte, timeout time.Duration) ([]byte, error) {
	h := p.inc.handlers[endpoint]
	if h == nil {
		return nil, rt.ErrNoHandler
	}
	hctx, cancel := p.w.withTimeout(ctx, p.timeout(timeout))
	reply, err := h(hctx, p.inc.n.id, clone(req))
	late := hctx.Err() != nil
	cancel()
	switch {
	case late && ctx.Err() != nil:
		return nil, ctx.Err()
	case late:
		return nil, rt.ErrTimeout
	case err != nil:
		return nil, &rt.RemoteError{Endpoint: endpoint, Msg: err.Error()}
	}
	return clone(reply), nil
}

// timeout returns the timeout of a call whose options name d.
func (p *netPort) timeout(d time.Duration) time.Duration {
	if d <= 0 {
		return p.w.cfg.CallTimeout
	}
	return d
}

// deliver hands a request to the destination's current incarnation: its
// handler runs in a new task of that node and the reply travels back. req
// is the request's own copy of the payload. The handler's context ends
// with the node or at the caller's deadline, as in node/host, where the
// remaining time travels with the request.
func (w *World) deliver(m *message, req []byte) {
	dst := w.nodes[m.to]
	inc := dst.inc
	if inc == nil {
		return // a crashed node hears nothing; the caller times out
	}
	h := inc.handlers[m.c.endpoint]
	if h == nil {
		w.send(m.c.replyMsg(message{from: m.to, to: m.from, fi: m.ti, ti: m.fi, err: rt.ErrNoHandler}), m.c.prio)
		return
	}
	ctx := w.newCtx(inc.life)
	w.arm(&ctx.timer, m.c.deadline-w.now, ctx, waker{})
	t := w.spawn(w.rpcName(m.c.endpoint), inc, ctx, nil)
	t.rpc = rpcReq{m: m, h: h, req: req, ctx: ctx}
	if m.c.hctxs == nil {
		m.c.hctxs = m.c.hfirst[:0]
	}
	m.c.hctxs = append(m.c.hctxs, ctx)
	m.c.handlers++
}

// rpcReq is what a handler task serves: a request, its handler, its copy
// of the payload, and the handler's context.
type rpcReq struct {
	m   *message
	h   rt.Handler
	req []byte
	ctx *simCtx
}

// serve runs the handler of an RPC task and sends its reply back.
func (w *World) serve(ctx context.Context, t *task) {
	r := t.rpc
	t.rpc = rpcReq{}
	reply, err := r.h(ctx, r.m.from, r.req)
	r.ctx.cancel(context.Canceled) // stops its deadline timer
	c := r.m.c
	c.handlers-- // a handler killed meanwhile never gets here: c stays unrecycled
	if t.inc.dead {
		return
	}
	var rerr error
	if err != nil {
		reply, rerr = nil, &rt.RemoteError{Endpoint: r.m.c.endpoint, Msg: err.Error()}
	}
	out := clone(reply)
	w.send(r.m.c.replyMsg(message{from: r.m.to, to: r.m.from, fi: r.m.ti, ti: r.m.fi, size: len(out), payload: out, err: rerr}), r.m.c.prio)
}

// rpcName is the name of the tasks serving endpoint, made once per
// endpoint.
func (w *World) rpcName(endpoint string) string {
	name, ok := w.rpcNames[endpoint]
	if !ok {
		name = "rpc:" + endpoint
		w.rpcNames[endpoint] = name
	}
	return name
}

func clone(b []byte) []byte {
	if b == nil {
		return nil
	}
	return append(make([]byte, 0, len(b)), b...)
}
