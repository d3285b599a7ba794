package rt

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/gogarage/garage/layout"
)

// NodeID names a node: the hex of its public key in real mode, a short
// name such as "n1" in the simulator. It is layout's node id, so that ids
// pass between the layout and the ports without conversion.
type NodeID = layout.NodeID

// Env is everything a node may use to reach the world. A driver builds one
// per node; node code receives it by value and never reaches around it.
type Env struct {
	ID     NodeID
	Clock  Clock
	Rand   Rand
	Net    Net
	Tasks  Tasks
	KV     KV
	Files  Files
	Faults Faults // nil when no failpoint is armed
	Log    *slog.Logger
}

// Clock gives a node its notion of time.
type Clock interface {
	// Now is the node's wall clock. It may be skewed, drift or step in the
	// simulator; use it only for LWW timestamps and user-visible metadata.
	Now() time.Time
	// Mono is a monotonic clock (time since an arbitrary origin) for
	// timeouts, RTT measurement and scheduling. It never goes backwards.
	Mono() time.Duration
	// Sleep blocks the calling task for d or until ctx is done, in which
	// case it returns ctx.Err(). It is a blocking point.
	Sleep(ctx context.Context, d time.Duration) error
}

// Rand is the node's own random stream. In the simulator it is derived from
// the run's seed; in real mode from the operating system. Implementations
// are safe for use by the node's tasks.
type Rand interface {
	Uint64() uint64
	// IntN returns a value in [0, n); it panics if n <= 0.
	IntN(n int) int
	// Float64 returns a value in [0, 1).
	Float64() float64
	// Read fills p with random bytes; it never fails.
	Read(p []byte)
}

// Tasks replaces the go statement, channels and select.
type Tasks interface {
	// Spawn starts fn as a new task of this node. fn receives the node's
	// lifetime context, which is cancelled when the node shuts down. In the
	// simulator a crash unwinds every task of the node (deferred calls run).
	Spawn(name string, fn func(ctx context.Context))
	// NewEvent returns an unset one-shot event.
	NewEvent() Event
	// NewMutex returns an unlocked mutex. In the simulator, a task that
	// blocks (Sleep, Wait, Call, Lock of another mutex) while holding one
	// panics: a mutex is for short critical sections only.
	NewMutex() Mutex
	// WithCancel and WithTimeout replace their context package namesakes,
	// which would read the real clock or start goroutines. Node code uses
	// only these to make cancellable contexts.
	WithCancel(parent context.Context) (context.Context, context.CancelFunc)
	WithTimeout(parent context.Context, d time.Duration) (context.Context, context.CancelFunc)
}

// Event is a one-shot signal: once set it stays set.
type Event interface {
	// Set sets the event and wakes every waiter. It never blocks and may be
	// called more than once.
	Set()
	// IsSet reports whether Set has been called.
	IsSet() bool
	// Wait blocks until the event is set (nil) or ctx is done (ctx.Err()).
	// If both hold, nil wins. It is a blocking point.
	Wait(ctx context.Context) error
}

// Mutex is a mutual-exclusion lock for short critical sections that never
// span a blocking call.
type Mutex interface {
	Lock()
	Unlock()
}

// Priority orders RPC traffic: interactive requests pass background work.
type Priority uint8

// Priorities, most urgent first.
const (
	PrioHigh       Priority = iota // control traffic: pings, layout, membership
	PrioNormal                     // client requests
	PrioBackground                 // anti-entropy, resync, GC
)

func (p Priority) String() string {
	switch p {
	case PrioHigh:
		return "high"
	case PrioNormal:
		return "normal"
	case PrioBackground:
		return "background"
	}
	return fmt.Sprintf("prio(%d)", uint8(p))
}

// Handler serves one endpoint. It runs in its own task on the callee. The
// returned bytes are the reply; a returned error reaches the caller as a
// *RemoteError carrying its message.
type Handler func(ctx context.Context, from NodeID, req []byte) ([]byte, error)

// CallOpts tunes one RPC.
type CallOpts struct {
	Timeout time.Duration // zero means DefaultCallTimeout
	Prio    Priority
}

// DefaultCallTimeout bounds a call whose options name no timeout.
const DefaultCallTimeout = 30 * time.Second

// Net is message-level RPC between nodes. Messages are opaque bytes: nothing
// is shared between nodes but what is encoded, in both worlds.
type Net interface {
	// Handle registers h for endpoint, replacing any earlier handler.
	Handle(endpoint string, h Handler)
	// Call sends req to node to and waits for the reply. A call to the node
	// itself runs the handler directly, without the network. Errors:
	// ErrTimeout (no reply in time, including lost messages and
	// partitions), ErrUnreachable (the peer is known to be down or cannot
	// be connected to), ErrNoHandler (the peer has no such endpoint),
	// *RemoteError (the handler failed), or ctx.Err(). It is a blocking
	// point.
	Call(ctx context.Context, to NodeID, endpoint string, req []byte, opts CallOpts) ([]byte, error)
}

// Sentinel errors of Net.Call.
var (
	ErrTimeout     = errors.New("rpc: timeout")
	ErrUnreachable = errors.New("rpc: peer unreachable")
	ErrNoHandler   = errors.New("rpc: no handler for endpoint")
)

// RemoteError is a handler's error as seen by the caller.
type RemoteError struct {
	Endpoint string
	Msg      string
}

func (e *RemoteError) Error() string { return "remote " + e.Endpoint + ": " + e.Msg }
