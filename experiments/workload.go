package experiments

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/gogarage/garage/checker"
	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/node/table"
)

// RegisterWorkload drives the register store the way Jepsen's register
// workload does: a few keys, unique written values, closed-loop clients.
type RegisterWorkload struct {
	Clients      int           // concurrent clients
	Keys         int           // distinct keys
	OpsPerClient int           // operations each client performs
	Think        time.Duration // pause between two operations of a client
	ReadFrac     float64       // fraction of reads; the rest are puts and deletes
	DeleteFrac   float64       // fraction of deletes among all operations
	// ValueSize, if larger than the unique tag, pads written values to
	// that many bytes.
	ValueSize int
	// OpTimeout, if positive, bounds each operation on the client's side:
	// an operation still running then is abandoned (unknown if a write).
	OpTimeout time.Duration
}

// DefaultRegisterWorkload is the workload of the register scenario.
func DefaultRegisterWorkload() RegisterWorkload {
	return RegisterWorkload{Clients: 5, Keys: 4, OpsPerClient: 40, Think: 20 * time.Millisecond,
		ReadFrac: 0.5, DeleteFrac: 0.1}
}

// Op is one operation as the workload saw it, for latency figures; the
// history for the checks is recorded by a checker.Recorder alongside.
type Op struct {
	ID         checker.OpID
	Client     int
	Kind       string // "put", "get", "delete"
	Key        string
	Value      string // written value (put) or observed value (get); "" = absent
	TS         uint64 // timestamp given to a write
	OK         bool   // acknowledged (writes) or answered (reads)
	Err        string
	Start, End time.Duration
}

// Latency is the operation's duration on the client's clock.
func (o Op) Latency() time.Duration { return o.End - o.Start }

// History is a run's record: the checker's history and the latencies.
type History struct {
	Rec *checker.Recorder
	mu  sync.Mutex
	ops []Op
}

// NewHistory returns an empty history whose metadata is meta.
func NewHistory(meta map[string]string) *History {
	return &History{Rec: checker.NewRecorder(meta)}
}

func (h *History) add(o Op) {
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

// runClient performs one client's operations against store, using env for
// time (the env of the node the client talks to, or a client-side env).
func (wl RegisterWorkload) runClient(ctx context.Context, id int, env rt.Env, rnd rt.Rand,
	store func() *table.Store, h *History) {
	for n := range wl.OpsPerClient {
		o := Op{Client: id, Key: fmt.Sprintf("k%d", rnd.IntN(wl.Keys))}
		x := rnd.Float64()
		switch {
		case x < wl.ReadFrac:
			o.Kind = "get"
		case x < wl.ReadFrac+wl.DeleteFrac:
			o.Kind = "delete"
		default:
			o.Kind, o.Value = "put", padValue(fmt.Sprintf("c%d-%d", id, n), wl.ValueSize)
		}
		h.add(wl.do(ctx, env, store(), h, o))
		if wl.Think > 0 {
			if env.Clock.Sleep(ctx, wl.Think) != nil {
				return
			}
		}
	}
}

func (wl RegisterWorkload) do(ctx context.Context, env rt.Env, s *table.Store, h *History, o Op) Op {
	o.ID = h.Rec.Invoke(o.Client, checker.Op{Kind: checker.Kind(o.Kind), Key: o.Key, Value: o.Value})
	o.Start = env.Clock.Mono()
	if wl.OpTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = env.Tasks.WithTimeout(ctx, wl.OpTimeout)
		defer cancel()
	}
	var err error
	switch o.Kind {
	case "get":
		var r table.Register
		r, err = s.Get(ctx, o.Key)
		if err == nil && !r.Deleted && r.Value != nil {
			o.Value = string(r.Value)
		}
	case "put":
		o.TS, err = s.Put(ctx, o.Key, []byte(o.Value))
	case "delete":
		o.TS, err = s.Delete(ctx, o.Key)
	}
	o.End = env.Clock.Mono()
	o.OK = err == nil
	h.Rec.Complete(o.ID, completion(o, err))
	if err != nil {
		o.Err = err.Error()
	}
	return o
}

// padValue pads tag with dots to size bytes; the tag keeps it unique.
func padValue(tag string, size int) string {
	if len(tag) >= size {
		return tag
	}
	return tag + strings.Repeat(".", size-len(tag))
}

// completion maps an outcome to what the checker needs: a failed read had
// no effect, but a failed write may have reached some replicas (unknown).
func completion(o Op, err error) checker.Completion {
	switch {
	case err == nil && o.Kind == "get":
		c := checker.Completion{Outcome: checker.OK}
		if o.Value != "" {
			c.Observed = []string{o.Value}
		}
		return c
	case err == nil:
		return checker.Completion{Outcome: checker.OK, TS: checker.TS(int64(o.TS))}
	case o.Kind == "get":
		return checker.Completion{Outcome: checker.Fail}
	}
	return checker.Completion{Outcome: checker.Unknown}
}

// Stats summarises latencies of one operation kind.
type Stats struct {
	Kind                     string
	N, Failed                int
	Mean, Min, P50, P99, Max time.Duration
}

// Summarise computes per-kind latency statistics over acknowledged ops.
func Summarise(ops []Op) []Stats {
	by := map[string][]time.Duration{}
	failed := map[string]int{}
	for _, o := range ops {
		if o.OK {
			by[o.Kind] = append(by[o.Kind], o.Latency())
		} else {
			failed[o.Kind]++
		}
	}
	kinds := []string{"get", "put", "delete"}
	var out []Stats
	for _, k := range kinds {
		out = append(out, stats(k, by[k], failed[k]))
	}
	return out
}

func stats(kind string, ds []time.Duration, failed int) Stats {
	s := Stats{Kind: kind, N: len(ds), Failed: failed}
	if len(ds) == 0 {
		return s
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	var sum time.Duration
	for _, d := range ds {
		sum += d
	}
	s.Mean, s.Min, s.Max = sum/time.Duration(len(ds)), ds[0], ds[len(ds)-1]
	s.P50, s.P99 = ds[len(ds)/2], ds[min(len(ds)-1, len(ds)*99/100)]
	return s
}

// FormatStats renders stats as an aligned table (milliseconds).
func FormatStats(ss []Stats) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-7s %5s %6s %9s %9s %9s %9s %9s\n", "op", "n", "failed", "mean_ms", "min_ms", "p50_ms", "p99_ms", "max_ms")
	for _, s := range ss {
		fmt.Fprintf(&b, "%-7s %5d %6d %9.1f %9.1f %9.1f %9.1f %9.1f\n", s.Kind, s.N, s.Failed,
			ms(s.Mean), ms(s.Min), ms(s.P50), ms(s.P99), ms(s.Max))
	}
	return b.String()
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
