package sim

import (
	"time"

	"github.com/gogarage/garage/netem"
	"github.com/gogarage/garage/node/rt"
)

// The simulator keeps, for every directed link with a finite bandwidth, a
// send queue per priority in front of the network model. A message goes to
// the model (netem.Model.Send) only when the link's transmitter is free, so
// the model's own serialisation queue is always empty when asked and the
// order in which queued messages take the wire is: most urgent priority
// first, then first come, first served. On links of unlimited bandwidth
// nothing queues and priorities have no effect, as in a real network.
// A sender's uplink (netem SetUplink) is queued inside the model, first
// come first served: priorities do not reorder it.
//
// A message in flight when a partition cuts its link is lost: delivery
// checks the model's reachability again.

// edge is a directed link between two nodes.
type edge struct{ from, to rt.NodeID }

// message is one request or reply, from its send to its last arrival.
// Its payload is its own copy; the handler of the last arrival of a
// request gets that copy, an earlier (duplicated) arrival a clone of it.
type message struct {
	from, to rt.NodeID
	fi, ti   int // from and to's positions in the network model
	size     int // payload size, without MessageOverhead
	c        *call
	reply    bool // a reply to c rather than its request
	payload  []byte
	err      error  // a reply's error
	pending  int    // arrivals still due
	arrive   timer  // first arrival
	dup      *timer // the duplicate's arrival, if duplicated
}

// fire is one arrival of the message. A message in flight when a
// partition cut its link is lost.
func (m *message) fire(w *World) {
	m.pending--
	m.c.inflight--
	if !w.net.ReachableAt(m.fi, m.ti) {
		return
	}
	if m.reply {
		m.c.finish(m.payload, m.err)
		return
	}
	req := m.payload
	if m.pending > 0 {
		req = clone(req)
	}
	w.deliver(m, req)
}

// linkQueue is the transmitter state of one directed link.
type linkQueue struct {
	busyUntil time.Duration
	waiting   [rt.PrioBackground + 1][]*message
	draining  bool // a drain timer is armed
}

func (q *linkQueue) empty() bool {
	for _, l := range q.waiting {
		if len(l) > 0 {
			return false
		}
	}
	return true
}

// pop removes the most urgent waiting message.
func (q *linkQueue) pop() *message {
	for p := range q.waiting {
		if l := q.waiting[p]; len(l) > 0 {
			m := l[0]
			l[0] = nil
			q.waiting[p] = l[1:]
			return m
		}
	}
	panic("sim: pop of an empty link queue")
}

// send queues m at priority prio and schedules its arrival (twice if
// duplicated; never if lost).
func (w *World) send(m *message, prio rt.Priority) {
	bw := w.net.BandwidthAt(m.fi, m.ti)
	if bw <= 0 {
		w.transmit(m, 0)
		return
	}
	e := edge{m.from, m.to}
	q := w.links[e]
	if q == nil {
		q = &linkQueue{}
		w.links[e] = q
	}
	if q.busyUntil <= w.now && q.empty() {
		q.busyUntil = w.now + w.transmit(m, bw)
		return
	}
	if prio > rt.PrioBackground {
		prio = rt.PrioBackground
	}
	q.waiting[prio] = append(q.waiting[prio], m)
	m.c.inflight++
	w.armDrain(q, bw)
}

// armDrain arranges for the next waiting message to take the link when
// the current one has left.
func (w *World) armDrain(q *linkQueue, bw float64) {
	if q.draining {
		return
	}
	q.draining = true
	w.after(q.busyUntil-w.now, func() {
		q.draining = false
		m := q.pop()
		m.c.inflight--
		q.busyUntil = w.now + w.transmit(m, bw)
		if !q.empty() {
			w.armDrain(q, bw)
		}
	})
}

// transmit gives m to the network model now and returns how long it
// occupies the link (zero if a partition cut it before the wire).
func (w *World) transmit(m *message, bw float64) time.Duration {
	size := m.size + MessageOverhead
	f := w.net.SendAt(w.now, m.fi, m.ti, size, w.netRand)
	if !f.Drop {
		m.pending = 1
		m.c.inflight++
		w.arm(&m.arrive, f.Deliver-w.now, m, waker{})
		if f.Dup {
			m.pending++
			m.c.inflight++
			m.dup = &timer{}
			w.arm(m.dup, f.DupAt-w.now, m, waker{})
		}
	}
	if bw <= 0 || !w.net.ReachableAt(m.fi, m.ti) {
		return 0
	}
	return time.Duration(float64(size) / bw * float64(time.Second))
}

// defaultNet is the model used when Config.Net is nil: a fixed one-way
// latency on every link, no jitter, no loss, unlimited bandwidth.
func defaultNet(latency time.Duration) *netem.Model {
	m := netem.New()
	m.SetLatency(netem.AllLinks(), latency)
	return m
}
