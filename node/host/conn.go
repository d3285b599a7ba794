package host

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"sync"

	"github.com/gogarage/garage/node/rt"
)

// Connection life cycle. Both nodes of a pair may dial; the node with the
// lower id (the decider) picks which connection is the pair's one: it sends
// ftAccept on it and ftGoAway on any other. A connection dialled by the
// higher node always wins (that node only dials when it has no usable
// connection); one dialled by the decider wins only if no other is active.
// The higher node sends calls only on a connection it has been told to
// accept. A retired connection drains: each side sends ftGoAway (after which
// it starts no call there), keeps serving and answering, and the connection
// closes once both goaways are through and nothing is in flight. So
// simultaneous dials converge on one connection without failing a call.
// A change of the peer's incarnation (a restart) closes its old connections.

// role is a connection's standing in its peer's table, guarded by Net.mu.
type role uint8

const (
	rolePending role = iota // waiting for the decider's verdict
	roleActive              // the pair's connection: calls go here
	roleRetired             // draining or rejected
)

// Errors that end a connection or a call on it.
var (
	errDrained       = errors.New("connection drained")
	errRetired       = errors.New("connection retired")
	errPeerRestarted = errors.New("peer restarted")
	errConnLost      = fmt.Errorf("connection lost: %w", rt.ErrUnreachable)
	errPeerShutdown  = fmt.Errorf("peer shutting down: %w", rt.ErrUnreachable)
)

// inReply is a reply as delivered to the waiting caller.
type inReply struct {
	st      status
	payload []byte
}

type partKey struct {
	typ frameType
	id  uint64
}

// maxPartials bounds the messages a connection reassembles at once (their
// bytes are bounded by twice the message limit).
const maxPartials = 1024

// partial is a message whose fragments are still arriving.
type partial struct {
	frags [][]byte
	size  int
}

// conn is one established, identified connection to a peer.
type conn struct {
	n         *Net
	peer      rt.NodeID
	inc       uint64 // the peer's incarnation
	nc        net.Conn
	initiator bool
	q         *sendQueue
	dead      chan struct{} // closed when the connection is closed
	once      sync.Once
	role      role // guarded by n.mu

	mu        sync.Mutex
	pending   map[uint64]chan inReply
	started   map[uint64]*startedCall // calls whose reply goes to a callback
	nextID    uint64
	handlers  int                           // inbound requests being served
	running   map[uint64]context.CancelFunc // their contexts, by request id
	parts     map[partKey]*partial
	partBytes int
	sentGA    bool
	recvGA    bool
	finQueued bool
}

func newConn(n *Net, nc net.Conn, hi hello, initiator bool) *conn {
	return &conn{
		n: n, peer: hi.id, inc: hi.incarnation, nc: nc, initiator: initiator,
		q: newSendQueue(), dead: make(chan struct{}),
		pending: map[uint64]chan inReply{}, started: map[uint64]*startedCall{},
		parts:   map[partKey]*partial{},
		running: map[uint64]context.CancelFunc{},
	}
}

func (c *conn) isDead() bool {
	select {
	case <-c.dead:
		return true
	default:
		return false
	}
}

// close closes the connection once; callers waiting on it see dead, and
// its started calls end (outside the once, since their callbacks may
// start calls that find the connection dead).
func (c *conn) close(err error) {
	first := false
	c.once.Do(func() {
		first = true
		c.nc.Close()
		c.q.close()
		close(c.dead)
		c.n.dropConn(c, err)
	})
	if first {
		c.failStarted()
	}
}

// send queues a frame; it reports false if the connection is closed.
func (c *conn) send(h header, payload []byte) bool {
	return c.q.push(&outMsg{h: h, payload: payload})
}

// startCall registers a pending call and queues its request. It fails with
// errRetired once this side has sent its goaway or the connection is closed.
func (c *conn) startCall(h header, req []byte) (uint64, chan inReply, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.sentGA || c.isDead() {
		return 0, nil, errRetired
	}
	c.nextID++
	h.id = c.nextID
	ch := make(chan inReply, 1)
	c.pending[h.id] = ch
	c.q.push(&outMsg{h: h, payload: req}) // under mu: ordered before our goaway
	return h.id, ch, nil
}

// forget drops a pending call whose caller stopped waiting.
func (c *conn) forget(id uint64) {
	c.mu.Lock()
	delete(c.pending, id)
	c.mu.Unlock()
	c.checkFin()
}

// retire sends this side's goaway (once) and closes when drained.
func (c *conn) retire() {
	c.mu.Lock()
	if !c.sentGA {
		c.sentGA = true
		c.q.push(&outMsg{h: header{typ: ftGoAway, prio: rt.PrioBackground}})
	}
	c.mu.Unlock()
	c.checkFin()
}

// checkFin queues the closing marker once both goaways are through and
// nothing is in flight in either direction.
func (c *conn) checkFin() {
	c.mu.Lock()
	ready := c.sentGA && c.recvGA && !c.finQueued && len(c.pending) == 0 &&
		len(c.started) == 0 && c.handlers == 0 && len(c.parts) == 0
	if ready {
		c.finQueued = true
	}
	c.mu.Unlock()
	if ready {
		c.q.push(&outMsg{h: header{prio: rt.PrioBackground}, fin: true})
	}
}

// writeLoop writes queued frames, most urgent class first, one chunk at a
// time, and flushes whenever the queue runs dry.
func (c *conn) writeLoop() {
	defer c.n.wg.Done()
	bw := bufio.NewWriterSize(c.nc, 32<<10)
	var hdr []byte
	for {
		m := c.q.pop()
		if m == nil {
			if err := bw.Flush(); err != nil {
				c.close(fmt.Errorf("write: %w", err))
				return
			}
			select {
			case <-c.q.wake:
				continue
			case <-c.dead:
				return
			}
		}
		if m.fin {
			if !c.q.empty() {
				c.q.push(m)
				continue
			}
			bw.Flush()
			c.close(errDrained)
			return
		}
		h, part, done := nextChunk(m, c.n.cfg.ChunkSize)
		hdr = appendHeader(hdr[:0], h, len(part))
		if err := writeChunk(bw, hdr, part); err != nil {
			c.close(fmt.Errorf("write: %w", err))
			return
		}
		if !done {
			c.q.push(m)
		}
	}
}

func writeChunk(w *bufio.Writer, hdr, part []byte) error {
	if _, err := w.Write(hdr); err != nil {
		return err
	}
	_, err := w.Write(part)
	return err
}

// readLoop reads and dispatches frames until the connection fails.
func (c *conn) readLoop() {
	defer c.n.wg.Done()
	br := bufio.NewReaderSize(c.nc, 64<<10)
	max := headerLen + maxEndpoint + c.n.cfg.MaxMessage
	for {
		h, payload, err := readFrame(br, max)
		if err == nil {
			err = c.onFrame(h, payload)
		}
		if err != nil {
			c.close(fmt.Errorf("read: %w", err))
			return
		}
	}
}

// onFrame handles one frame. An error closes the connection.
func (c *conn) onFrame(h header, payload []byte) error {
	switch h.typ {
	case ftRequest, ftReply:
		msg, complete, err := c.reassemble(h, payload)
		if err != nil || !complete {
			return err
		}
		if h.typ == ftRequest {
			c.serve(h, msg)
		} else {
			c.deliver(h, msg)
		}
		c.checkFin()
	case ftAccept:
		c.n.onAccept(c)
	case ftGoAway:
		c.n.onGoAway(c)
	case ftCancel:
		c.mu.Lock()
		cancel := c.running[h.id]
		c.mu.Unlock()
		if cancel != nil {
			cancel()
		}
	default:
		c.send(header{typ: ftReply, prio: rt.PrioHigh, status: statusBadFrame, id: h.id},
			[]byte("unexpected "+h.typ.String()+" frame"))
	}
	return nil
}

// reassemble collects the fragments of a message. It reports complete with
// the whole payload when the last fragment arrives; the fragments are kept
// apart until then and joined with a single copy.
func (c *conn) reassemble(h header, p []byte) ([]byte, bool, error) {
	key := partKey{h.typ, h.id}
	max := c.n.cfg.MaxMessage
	c.mu.Lock()
	defer c.mu.Unlock()
	prev := c.parts[key]
	if prev == nil && h.flags&flagMore == 0 {
		if len(p) > max {
			return nil, false, fmt.Errorf("%w: message over %d bytes", errFrameSize, max)
		}
		return p, true, nil
	}
	if prev == nil {
		if len(c.parts) >= maxPartials {
			return nil, false, fmt.Errorf("%w: over %d messages in fragments", errFrameForm, maxPartials)
		}
		prev = &partial{}
		c.parts[key] = prev
	}
	if prev.size+len(p) > max || c.partBytes+len(p) > 2*max {
		return nil, false, fmt.Errorf("%w: message over %d bytes", errFrameSize, max)
	}
	prev.frags = append(prev.frags, p)
	prev.size += len(p)
	c.partBytes += len(p)
	if h.flags&flagMore != 0 {
		return nil, false, nil
	}
	delete(c.parts, key)
	c.partBytes -= prev.size
	return bytes.Join(prev.frags, nil), true, nil
}

// deliver hands a reply to its waiting caller, or to a started call's
// callback (on this, the reader's goroutine); late replies are dropped.
func (c *conn) deliver(h header, payload []byte) {
	c.mu.Lock()
	ch := c.pending[h.id]
	delete(c.pending, h.id)
	sc := c.takeStartedLocked(h.id)
	c.mu.Unlock()
	r := inReply{st: h.status, payload: payload}
	switch {
	case ch != nil:
		ch <- r
	case sc != nil:
		sc.finish(decodeReply(sc.endpoint, r))
	}
}

// serve runs the endpoint's handler in its own goroutine and queues the
// reply at the request's priority.
func (c *conn) serve(h header, req []byte) {
	reply := header{typ: ftReply, prio: h.prio, id: h.id}
	hd := c.n.handler(h.endpoint)
	if hd == nil {
		reply.status = statusNoHandler
		c.send(reply, nil)
		return
	}
	ctx, cancel := c.n.handlerContext(h)
	c.mu.Lock()
	c.handlers++
	c.running[h.id] = cancel
	c.mu.Unlock()
	c.n.wg.Add(1) // the reader itself is tracked, so the count is above zero
	go func() {
		defer c.n.wg.Done()
		resp, err := c.n.runHandler(ctx, hd, h, c.peer, req)
		cancel()
		reply.status, resp = replyOf(resp, err, c.n.cfg.MaxMessage)
		c.send(reply, resp)
		c.mu.Lock()
		c.handlers--
		delete(c.running, h.id)
		c.mu.Unlock()
		c.checkFin()
	}()
}
