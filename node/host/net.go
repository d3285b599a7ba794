package host

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net"
	"runtime/debug"
	"sync"
	"time"

	"github.com/gogarage/garage/node/rt"
)

// NetConfig configures a Net. Zero fields take the defaults noted.
type NetConfig struct {
	ID rt.NodeID // this node; required
	// Listen is the TCP address to accept peers on, such as "127.0.0.1:0".
	// Empty means no listener: the node only dials.
	Listen string
	// Context is the parent of the lifetime context handed to handlers
	// (default context.Background()).
	Context context.Context

	MaxMessage       int           // largest request or reply payload (default 64 MiB)
	ChunkSize        int           // largest payload per frame (default 64 KiB)
	DialTimeout      time.Duration // default 5 s
	HandshakeTimeout time.Duration // default 10 s
	RedialMin        time.Duration // first backoff after a failed dial (default 200 ms)
	RedialMax        time.Duration // backoff ceiling (default 10 s)
	// UnsentLimit caps the bytes the kernel may hold unsent per connection
	// (Linux TCP_NOTSENT_LOWAT; default 128 KiB, negative for no cap), so
	// that priorities are decided by the writer, not the socket's FIFO.
	UnsentLimit int

	// ConnHook, when set, secures and identifies every new connection
	// (initiator tells which end dialled) and returns the connection to use
	// and the authenticated node id of the other end. It replaces the trust
	// in the plain hello: the hello that follows must name the same node.
	ConnHook func(c net.Conn, initiator bool) (net.Conn, rt.NodeID, error)
	// WrapConn, when set, wraps every identified connection (from is this
	// node, to the peer), for instance to delay traffic like a slow link.
	WrapConn func(c net.Conn, from, to rt.NodeID) net.Conn
	// PeerClosed, when set, is called (on no lock, from the goroutine that
	// saw it) when the last connection to a peer closes for any reason but
	// a drain or this Net's own Close: the peer crashed, restarted or is
	// cut off, known at once rather than after missed pings.
	PeerClosed func(id rt.NodeID, err error)

	Log *slog.Logger // default: discard
}

func (c NetConfig) withDefaults() NetConfig {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	if c.Context == nil {
		c.Context = context.Background()
	}
	if c.MaxMessage <= 0 {
		c.MaxMessage = 64 << 20
	}
	if c.ChunkSize <= 0 {
		c.ChunkSize = 64 << 10
	}
	if c.UnsentLimit == 0 {
		c.UnsentLimit = 128 << 10
	}
	def(&c.DialTimeout, 5*time.Second)
	def(&c.HandshakeTimeout, 10*time.Second)
	def(&c.RedialMin, 200*time.Millisecond)
	def(&c.RedialMax, 10*time.Second)
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
	return c
}

// errBudget replaces the error of a handler that failed once the caller's
// timeout had passed: the caller sees a timeout, whichever timer fired first.
var errBudget = errors.New("handler ran out of the caller's time")

// errShutdown replaces the error of a handler that failed once the callee's
// lifetime had ended: its node is going away, and the caller sees it as
// unreachable, as a caller of a crashed node in the simulator sees no reply.
var errShutdown = errors.New("handler cut short by shutdown")

// errClosed is returned by calls on a closed Net.
var errClosed = fmt.Errorf("net closed: %w", rt.ErrUnreachable)

// Net is message RPC over TCP: the real rt.Net.
type Net struct {
	cfg    NetConfig
	id     rt.NodeID
	inc    uint64 // this instance's incarnation, announced in hellos
	rand   *Rand
	ctx    context.Context
	cancel context.CancelFunc
	ln     net.Listener
	wg     sync.WaitGroup

	mu     sync.Mutex
	closed bool
	peers  map[rt.NodeID]*peer
	raw    map[net.Conn]struct{} // connections still in their handshake

	hmu      sync.RWMutex
	handlers map[string]rt.Handler

	stats *callStats
}

var _ rt.Net = (*Net)(nil)

// NewNet starts a Net: it listens on cfg.Listen (if set) and dials peers
// lazily on first call.
func NewNet(cfg NetConfig) (*Net, error) {
	if cfg.ID == "" {
		return nil, errors.New("net: empty node id")
	}
	cfg = cfg.withDefaults()
	r := NewRand()
	n := &Net{cfg: cfg, id: cfg.ID, inc: r.Uint64() | 1, rand: r,
		peers: map[rt.NodeID]*peer{}, raw: map[net.Conn]struct{}{},
		handlers: map[string]rt.Handler{}, stats: newCallStats()}
	n.ctx, n.cancel = context.WithCancel(cfg.Context)
	if cfg.Listen == "" {
		return n, nil
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		n.cancel()
		return nil, fmt.Errorf("net: listen %s: %w", cfg.Listen, err)
	}
	n.ln = ln
	n.wg.Add(1)
	go n.acceptLoop()
	return n, nil
}

// ID returns this node's id.
func (n *Net) ID() rt.NodeID { return n.id }

// Addr returns the listening address, or "" without a listener.
func (n *Net) Addr() string {
	if n.ln == nil {
		return ""
	}
	return n.ln.Addr().String()
}

// Handle registers h for endpoint, replacing any earlier handler; a nil h
// removes it.
func (n *Net) Handle(endpoint string, h rt.Handler) {
	n.hmu.Lock()
	defer n.hmu.Unlock()
	if h == nil {
		delete(n.handlers, endpoint)
		return
	}
	n.handlers[endpoint] = h
}

func (n *Net) handler(endpoint string) rt.Handler {
	n.hmu.RLock()
	defer n.hmu.RUnlock()
	return n.handlers[endpoint]
}

// goTracked runs fn, work of the Net itself (a handshake, a started call
// waiting for its connection), in a tracked goroutine unless the Net is
// closed.
func (n *Net) goTracked(fn func()) bool {
	if !n.track() {
		return false
	}
	netWorkers.run(func() {
		defer n.wg.Done()
		fn()
	})
	return true
}

// goTask runs fn, node code (a handler, a started call's done), in a
// tracked goroutine unless the Net is closed: a task of the node in the
// sense of rt, as the goroutines of Tasks.Spawn and of handlers serving
// peers are.
func (n *Net) goTask(fn func()) bool {
	if !n.track() {
		return false
	}
	taskWorkers.run(func() {
		defer n.wg.Done()
		fn()
	})
	return true
}

// track counts one more goroutine for Close to wait for, unless the Net
// is closed.
func (n *Net) track() bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.closed {
		return false
	}
	n.wg.Add(1)
	return true
}

// Close stops the listener, closes every connection (pending calls fail
// with rt.ErrUnreachable), cancels handler contexts and waits for every
// goroutine of the Net, handlers included, to return: a handler that
// ignores its context delays Close until it returns.
func (n *Net) Close() error {
	n.mu.Lock()
	if n.closed {
		n.mu.Unlock()
		return nil
	}
	n.closed = true
	var conns []*conn
	for _, p := range n.peers {
		for c := range p.conns {
			conns = append(conns, c)
		}
		p.broadcast()
	}
	raw := n.raw
	n.raw = map[net.Conn]struct{}{}
	n.mu.Unlock()
	n.cancel()
	if n.ln != nil {
		n.ln.Close()
	}
	for nc := range raw {
		nc.Close()
	}
	for _, c := range conns {
		c.close(errClosed)
	}
	n.wg.Wait()
	return nil
}

// handlerContext returns the context of a handler: the Net's lifetime
// bounded by the caller's timeout budget, cancelled early if the caller
// gives up.
func (n *Net) handlerContext(hd header) (context.Context, context.CancelFunc) {
	if hd.budget > 0 {
		return context.WithTimeout(n.ctx, time.Duration(hd.budget)*time.Millisecond)
	}
	return context.WithCancel(n.ctx)
}

// runHandler calls h, turning a panic into an error.
func (n *Net) runHandler(ctx context.Context, h rt.Handler, hd header, from rt.NodeID, req []byte) (resp []byte, err error) {
	defer func() {
		switch {
		case err == nil:
		case n.ctx.Err() != nil:
			err = errShutdown
		case errors.Is(ctx.Err(), context.DeadlineExceeded):
			err = errBudget
		}
		if r := recover(); r != nil {
			n.cfg.Log.Error("handler panic", "endpoint", hd.endpoint, "from", from,
				"panic", r, "stack", string(debug.Stack()))
			err = fmt.Errorf("handler panic: %v", r)
		}
	}()
	return h(ctx, from, req)
}

// replyOf maps a handler's outcome to a reply status and payload.
func replyOf(resp []byte, err error, max int) (status, []byte) {
	if errors.Is(err, errBudget) {
		return statusTimeout, nil
	}
	if errors.Is(err, errShutdown) {
		return statusShutdown, nil
	}
	if err != nil {
		return statusError, []byte(err.Error())
	}
	if len(resp) > max {
		return statusError, fmt.Appendf(nil, "reply of %d bytes exceeds %d", len(resp), max)
	}
	return statusOK, resp
}

// budgetOf returns the time left before ctx's deadline in milliseconds,
// rounded up, as carried in request frames.
func budgetOf(ctx context.Context) uint32 {
	dl, ok := ctx.Deadline()
	if !ok {
		return 0
	}
	return budgetMs(time.Until(dl))
}

// budgetMs returns d in milliseconds, rounded up, at least 1.
func budgetMs(d time.Duration) uint32 {
	ms := (d + time.Millisecond - 1) / time.Millisecond
	return uint32(max(1, min(int64(ms), math.MaxUint32)))
}
