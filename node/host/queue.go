package host

import (
	"sync"

	"github.com/gogarage/garage/node/rt"
)

// numPrio is the number of priority classes; unknown priorities count as
// background.
const numPrio = int(rt.PrioBackground) + 1

// outMsg is one message waiting to be written, possibly partly sent.
type outMsg struct {
	h       header
	payload []byte
	off     int  // bytes of payload already written
	fin     bool // not a frame: close the connection once the queue is empty
}

// sendQueue holds a connection's outgoing messages by priority. The writer
// takes the next chunk from the most urgent non-empty class; a message with
// payload left after its chunk goes to the back of its class, so large
// messages of one class share the link and never hold back a more urgent
// class for more than one chunk.
type sendQueue struct {
	mu     sync.Mutex
	q      [numPrio][]*outMsg
	closed bool
	wake   chan struct{} // capacity 1: a token means "look again"
}

func newSendQueue() *sendQueue { return &sendQueue{wake: make(chan struct{}, 1)} }

func class(p rt.Priority) int { return min(int(p), numPrio-1) }

// push appends m to its class. It reports false if the queue is closed.
func (q *sendQueue) push(m *outMsg) bool {
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return false
	}
	c := class(m.h.prio)
	q.q[c] = append(q.q[c], m)
	q.mu.Unlock()
	q.signal()
	return true
}

func (q *sendQueue) signal() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// pop removes and returns the head of the most urgent non-empty class, or
// nil if the queue is empty.
func (q *sendQueue) pop() *outMsg {
	q.mu.Lock()
	defer q.mu.Unlock()
	for c := range q.q {
		if len(q.q[c]) > 0 {
			m := q.q[c][0]
			q.q[c][0] = nil
			q.q[c] = q.q[c][1:]
			return m
		}
	}
	return nil
}

// empty reports whether no message is queued.
func (q *sendQueue) empty() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	for c := range q.q {
		if len(q.q[c]) > 0 {
			return false
		}
	}
	return true
}

// close drops every queued message and makes later pushes fail.
func (q *sendQueue) close() {
	q.mu.Lock()
	q.closed = true
	q.q = [numPrio][]*outMsg{}
	q.mu.Unlock()
	q.signal()
}

// isClosed reports whether close was called.
func (q *sendQueue) isClosed() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.closed
}

// nextChunk returns the header and payload of m's next fragment, at most
// chunk bytes of payload, and advances m; done reports whether it was the
// last fragment.
func nextChunk(m *outMsg, chunk int) (h header, part []byte, done bool) {
	end := min(m.off+chunk, len(m.payload))
	h, part = m.h, m.payload[m.off:end]
	m.off = end
	done = end == len(m.payload)
	if !done {
		h.flags |= flagMore
	}
	return h, part, done
}
