package netem

import (
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// ErrPartitioned is the error of a shaped connection broken by a partition
// (PartitionFail mode).
var ErrPartitioned = errors.New("netem: link cut by a partition")

// PartitionMode is what a shaped connection does while a partition cuts
// its link.
type PartitionMode uint8

const (
	// PartitionHold keeps the bytes (in flight or newly written) until the
	// link heals, then delivers them one one-way latency later, as TCP
	// retransmitting through an outage would. Writes still return at once
	// until the buffer is full.
	PartitionHold PartitionMode = iota
	// PartitionFail breaks the connection, as a reset would: pending data
	// is dropped, the underlying connection is closed, and writes fail with
	// ErrPartitioned.
	PartitionFail
)

// String returns "hold" or "fail".
func (pm PartitionMode) String() string {
	if pm == PartitionFail {
		return "fail"
	}
	return "hold"
}

// ShaperOption tunes a Shaper.
type ShaperOption func(*shaperOptions)

type shaperOptions struct {
	mode    PartitionMode
	segment int
	buffer  int
	minRTO  time.Duration
	clock   Clock
}

// WithPartitionMode sets the partition behaviour (default PartitionHold).
func WithPartitionMode(pm PartitionMode) ShaperOption {
	return func(o *shaperOptions) { o.mode = pm }
}

// WithSegmentSize sets the largest piece a write is cut into (default 16
// KiB). The pieces of one write share its fate but are released as the
// link's bandwidth streams them, so smaller pieces follow a slow link more
// closely; each costs a timer wake-up.
func WithSegmentSize(n int) ShaperOption {
	return func(o *shaperOptions) { o.segment = max(n, 1) }
}

// WithBufferSize sets how many bytes a connection may hold in flight
// before Write blocks, like a socket send buffer (default 4 MiB).
func WithBufferSize(n int) ShaperOption {
	return func(o *shaperOptions) { o.buffer = max(n, 1) }
}

// WithMinRTO sets the lower bound of the retransmission timeout used to
// turn a lost segment into a delay (default 200 ms, as Linux).
func WithMinRTO(d time.Duration) ShaperOption {
	return func(o *shaperOptions) { o.minRTO = d }
}

// WithClock makes the shaper read time from c instead of the system
// clock: it plans deliveries on c.Now, sleeps on c's timers until they are
// due, and bounds blocked writes by write deadlines read on c. The
// underlying connections' own deadlines stay in real time.
func WithClock(c Clock) ShaperOption {
	return func(o *shaperOptions) { o.clock = c }
}

// maxRetransmits bounds the retransmissions of one segment: after that
// many losses in a row it is delivered anyway.
const maxRetransmits = 6

// Shaper applies a Model, in real time (or on the Clock given by
// WithClock), to the bytes written on real connections. Each wrapped connection shapes its writes in one direction,
// from → to: wrap both ends to shape both directions. Each Write is one
// message for the model, as one RPC frame is in the simulator: it gets one
// fate, so one-way latency, jitter, bandwidth (a serialisation queue per
// directed link shared by all connections of that link, and the sender's
// uplink) and partitions apply as they do there. Bytes go out in order (a
// TCP stream is FIFO whatever the model says). TCP does not lose data: a
// write the model loses costs a retransmission timeout instead,
// max(MinRTO, 2·RTT), doubling on each further loss of that write, each
// attempt occupying the link's bandwidth. Duplicates are ignored (TCP
// drops them).
//
// A Shaper is safe for concurrent use. It draws from its own source,
// seeded at construction; the order of concurrent writes still makes real
// runs irreproducible, as real networks are.
type Shaper struct {
	opts  shaperOptions
	start time.Time
	wg    sync.WaitGroup
	early atomic.Int64 // learnt timer lateness, in ns: timers are armed this early

	mu      sync.Mutex // guards the fields below
	model   *Model
	rand    Rand
	changed chan struct{} // closed and replaced whenever Do runs
	conns   map[*Conn]struct{}
	closed  bool
}

// NewShaper returns a shaper over m, which it owns from now on: change m
// only through Do. The shaper's random source is NewRand(seed).
func NewShaper(m *Model, seed uint64, opts ...ShaperOption) *Shaper {
	s := &Shaper{
		opts:    shaperOptions{segment: 16 << 10, buffer: 4 << 20, minRTO: 200 * time.Millisecond, clock: systemClock{}},
		model:   m,
		rand:    NewRand(seed),
		changed: make(chan struct{}),
		conns:   map[*Conn]struct{}{},
	}
	for _, o := range opts {
		o(&s.opts)
	}
	s.start = s.opts.clock.Now()
	return s
}

// Do runs fn with the model locked, to change it (partitions, heals, new
// settings) while connections run. Held connections re-check their link
// afterwards. fn must not call back into the shaper.
func (s *Shaper) Do(fn func(m *Model)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fn(s.model)
	close(s.changed)
	s.changed = make(chan struct{})
}

// Wrap returns c shaped for writes from node from to node to. Reads,
// addresses and read deadlines pass through to c. It fails if a node is
// unknown to the model or the shaper is closed.
func (s *Shaper) Wrap(c net.Conn, from, to string) (*Conn, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, fmt.Errorf("wrap %s->%s: %w", from, to, net.ErrClosed)
	}
	if !s.model.Has(from) || !s.model.Has(to) {
		return nil, fmt.Errorf("wrap %s->%s: unknown node", from, to)
	}
	sc := newConn(s, c, from, to)
	s.conns[sc] = struct{}{}
	s.wg.Add(1)
	go sc.run()
	return sc, nil
}

// Close aborts every connection of the shaper (pending data is dropped
// and the underlying connections closed) and waits until their goroutines
// have returned. Later Wraps fail.
func (s *Shaper) Close() error {
	s.mu.Lock()
	s.closed = true
	conns := make([]*Conn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	for _, c := range conns {
		c.abort()
	}
	s.wg.Wait()
	return nil
}

// now is the shaper's time axis: time since it was built.
func (s *Shaper) now() time.Duration { return s.opts.clock.Now().Sub(s.start) }

// when converts a point of the shaper's time axis to an instant of its
// clock.
func (s *Shaper) when(at time.Duration) time.Time { return s.start.Add(at) }

// plan asks the model when the last of size bytes written now from → to
// should reach the underlying connection, and at what rate (bytes/s, 0 for
// unlimited) the earlier bytes stream ahead of it. Over a cut link it
// returns now plus the one-way latency (the delivery loop then holds the
// bytes) or, in PartitionFail mode, ErrPartitioned.
func (s *Shaper) plan(from, to string, size int) (time.Duration, float64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if !s.model.Reachable(from, to) {
		if s.opts.mode == PartitionFail {
			return 0, 0, ErrPartitioned
		}
		return now + s.model.Latency(from, to), 0, nil
	}
	rate := s.model.rate(from, to)
	rto := max(s.opts.minRTO, 2*s.model.RTT(from, to))
	penalty := time.Duration(0)
	for range maxRetransmits {
		f := s.model.Send(now, from, to, size, s.rand)
		if !f.Drop {
			return f.Deliver + penalty, rate, nil
		}
		penalty += rto
		rto *= 2
	}
	return now + penalty + s.model.Latency(from, to), rate, nil
}

// maxSlack bounds how early a delivery timer may be armed.
const maxSlack = 10 * time.Millisecond

// slack returns how early delivery timers are armed.
func (s *Shaper) slack() time.Duration { return time.Duration(s.early.Load()) }

// learn folds the lateness of one timer wake-up (negative when early) into
// the slack, with gain 1/8. Go timers on Linux wake about a millisecond
// late (the poller sleeps in whole milliseconds), which would otherwise add
// to every shaped delay.
func (s *Shaper) learn(late time.Duration) {
	for {
		old := s.early.Load()
		slack := min(max(time.Duration(old)+late/8, 0), maxSlack)
		if s.early.CompareAndSwap(old, int64(slack)) {
			return
		}
	}
}

// link reports whether from → to is reachable now, the channel closed at
// the next model change, and the link's one-way latency.
func (s *Shaper) link(from, to string) (bool, <-chan struct{}, time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.model.Reachable(from, to), s.changed, s.model.Latency(from, to)
}

func (s *Shaper) forget(c *Conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.conns, c)
}
