package sim

import (
	"context"

	"github.com/gogarage/garage/node/rt"
)

// MessageOverhead is the size added to every payload when the network model
// is asked about a message (framing, headers, request id).
const MessageOverhead = 64

// call is one outstanding RPC.
type call struct {
	w      *World
	id     uint64
	inc    *incarnation // caller's incarnation
	waiter waker
	done   bool
	reply  []byte
	err    error
	timer  timer
	prio   rt.Priority
}

// finish completes the call (the first outcome wins) and wakes the caller.
func (c *call) finish(reply []byte, err error) {
	if c.done {
		return
	}
	c.done, c.reply, c.err = true, reply, err
	c.w.stop(&c.timer)
	delete(c.inc.calls, c.id)
	c.w.wake(c.waiter)
}

// netPort is the sim rt.Net of one incarnation.
type netPort struct {
	w   *World
	inc *incarnation
}

var _ rt.Net = (*netPort)(nil)

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
		return p.callSelf(ctx, endpoint, req)
	}
	dst := w.nodes[to]
	if dst == nil {
		return nil, rt.ErrUnreachable
	}
	c := p.newCall(opts)
	msg := clone(req)
	from := p.inc.n.id
	w.send(from, to, len(req), opts.Prio, func() { w.deliver(c, from, dst, endpoint, msg) })
	return c.await(ctx)
}

// newCall registers a call of the current task with its timeout armed.
func (p *netPort) newCall(opts rt.CallOpts) *call {
	w := p.w
	w.calls++
	c := &call{w: w, id: w.calls, inc: p.inc, waiter: w.prepare("Net.Call"), prio: opts.Prio}
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = w.cfg.CallTimeout
	}
	w.arm(&c.timer, timeout, c.timeout, waker{})
	p.inc.calls[c.id] = c
	return c
}

// timeout ends the call with ErrTimeout.
func (c *call) timeout() { c.finish(nil, rt.ErrTimeout) }

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
	}
	return c.reply, c.err
}

// callSelf runs the handler inline, as a local function call.
func (p *netPort) callSelf(ctx context.Context, endpoint string, req []byte) ([]byte, error) {
	h := p.inc.handlers[endpoint]
	if h == nil {
		return nil, rt.ErrNoHandler
	}
	reply, err := h(ctx, p.inc.n.id, clone(req))
	if err != nil {
		return nil, &rt.RemoteError{Endpoint: endpoint, Msg: err.Error()}
	}
	return clone(reply), nil
}

// deliver hands a request to the destination's current incarnation: its
// handler runs in a new task of that node and the reply travels back.
func (w *World) deliver(c *call, from rt.NodeID, dst *node, endpoint string, req []byte) {
	inc := dst.inc
	if inc == nil {
		return // a crashed node hears nothing; the caller times out
	}
	h := inc.handlers[endpoint]
	if h == nil {
		w.send(dst.id, from, 0, c.prio, func() { c.finish(nil, rt.ErrNoHandler) })
		return
	}
	w.spawn("rpc:"+endpoint, inc, inc.life, func(ctx context.Context) {
		reply, err := h(ctx, from, clone(req))
		if inc.dead {
			return
		}
		var rerr error
		if err != nil {
			reply, rerr = nil, &rt.RemoteError{Endpoint: endpoint, Msg: err.Error()}
		}
		out := clone(reply)
		w.send(dst.id, from, len(out), c.prio, func() { c.finish(out, rerr) })
	})
}

func clone(b []byte) []byte {
	if b == nil {
		return nil
	}
	return append(make([]byte, 0, len(b)), b...)
}
