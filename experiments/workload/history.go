package workload

import (
	"context"
	"sort"
	"sync"
	"time"

	"github.com/gogarage/garage/checker"
)

// Op is one operation as the workload saw it, for latency figures; the
// history for the checks is recorded by a checker.Recorder alongside.
type Op struct {
	ID         checker.OpID
	Client     int
	Kind       string // "put", "get", "delete", "add", "remove", "list"
	Key        string
	Value      string // written value (put) or observed value (get); "" = absent
	TS         uint64 // timestamp given to a write
	OK         bool   // acknowledged (writes) or answered (reads)
	Final      bool   // a final read of the liveness phase
	Err        string
	Start, End time.Duration
}

// Latency is the operation's duration on the client's clock.
func (o Op) Latency() time.Duration { return o.End - o.Start }

// History is a run's record: the checker's history and the latencies. It
// is safe for concurrent use.
type History struct {
	Rec *checker.Recorder
	mu  sync.Mutex
	ops []Op
}

// NewHistory returns an empty history whose metadata is meta.
func NewHistory(meta map[string]string) *History {
	return &History{Rec: checker.NewRecorder(meta)}
}

// Add records a finished operation's latency figures.
func (h *History) Add(o Op) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.ops = append(h.ops, o)
}

// Ops returns the operations in the order they were invoked.
func (h *History) Ops() []Op {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := append([]Op(nil), h.ops...)
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// opCtx bounds one operation by timeout, if positive.
func opCtx(ctx context.Context, env Env, timeout time.Duration) (context.Context, context.CancelFunc) {
	if timeout <= 0 {
		return ctx, func() {}
	}
	return env.Tasks.WithTimeout(ctx, timeout)
}
