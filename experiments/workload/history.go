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
	ops [][]Op // in chunks of opChunk: a growing run never copies them
	n   int
}

// opChunk is the number of operations per chunk of History.ops.
const opChunk = 1024

// NewHistory returns an empty history whose metadata is meta.
func NewHistory(meta map[string]string) *History {
	return &History{Rec: checker.NewRecorder(meta)}
}

// Add records a finished operation's latency figures.
func (h *History) Add(o Op) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.n%opChunk == 0 {
		h.ops = append(h.ops, make([]Op, 0, opChunk))
	}
	last := len(h.ops) - 1
	h.ops[last] = append(h.ops[last], o)
	h.n++
}

// Ops returns the operations in the order they were invoked.
func (h *History) Ops() []Op {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]Op, 0, h.n)
	for _, c := range h.ops {
		out = append(out, c...)
	}
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
