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

// message is one request or reply waiting for its link.
type message struct {
	from, to rt.NodeID
	size     int
	arrive   func()
}

// linkQueue is the transmitter state of one directed link.
type linkQueue struct {
	busyUntil time.Duration
	waiting   [rt.PrioBackground + 1][]message
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
func (q *linkQueue) pop() message {
	for p := range q.waiting {
		if l := q.waiting[p]; len(l) > 0 {
			m := l[0]
			l[0] = message{}
			q.waiting[p] = l[1:]
			return m
		}
	}
	panic("sim: pop of an empty link queue")
}

// send queues a message of payload size n from → to at priority prio and
// schedules arrive at its delivery (twice if duplicated; never if lost).
func (w *World) send(from, to rt.NodeID, n int, prio rt.Priority, arrive func()) {
	m := message{from: from, to: to, size: n + MessageOverhead, arrive: arrive}
	bw := w.net.Link(string(from), string(to)).Bandwidth
	if bw <= 0 {
		w.transmit(m, 0)
		return
	}
	e := edge{from, to}
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
		q.busyUntil = w.now + w.transmit(q.pop(), bw)
		if !q.empty() {
			w.armDrain(q, bw)
		}
	})
}

// transmit gives m to the network model now and returns how long it
// occupies the link (zero if a partition cut it before the wire).
func (w *World) transmit(m message, bw float64) time.Duration {
	f := w.net.Send(w.now, string(m.from), string(m.to), m.size, w.netRand)
	if !f.Drop {
		arrive := func() {
			if w.net.Reachable(string(m.from), string(m.to)) { // cut while in flight: lost
				m.arrive()
			}
		}
		w.after(f.Deliver-w.now, arrive)
		if f.Dup {
			w.after(f.DupAt-w.now, arrive)
		}
	}
	if bw <= 0 || !w.net.Reachable(string(m.from), string(m.to)) {
		return 0
	}
	return time.Duration(float64(m.size) / bw * float64(time.Second))
}

// defaultNet is the model used when Config.Net is nil: a fixed one-way
// latency on every link, no jitter, no loss, unlimited bandwidth.
func defaultNet(latency time.Duration) *netem.Model {
	m := netem.New()
	m.SetLatency(netem.AllLinks(), latency)
	return m
}
