package workload

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/gogarage/garage/checker"
	"github.com/gogarage/garage/node/rt"
)

// RegisterWorkload drives registers the way Jepsen's register workload
// does: a few keys, unique written values, closed-loop clients.
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
	// ErrorPause, if positive, is the least pause after a failed
	// operation, so that a client of a dead node does not spin.
	ErrorPause time.Duration
}

// DefaultRegisterWorkload is the workload of the register scenario.
func DefaultRegisterWorkload() RegisterWorkload {
	return RegisterWorkload{Clients: 5, Keys: 4, OpsPerClient: 40, Think: 20 * time.Millisecond,
		ReadFrac: 0.5, DeleteFrac: 0.1}
}

// KeyName names register key k.
func KeyName(k int) string { return "k" + strconv.Itoa(k) }

// NextOp draws client id's n-th operation: a random key, then a read, a
// delete or a put of a value unique to (id, n).
func (wl RegisterWorkload) NextOp(id, n int, rnd rt.Rand) Op {
	o := Op{Client: id, Key: KeyName(rnd.IntN(max(wl.Keys, 1)))}
	switch x := rnd.Float64(); {
	case x < wl.ReadFrac:
		o.Kind = "get"
	case x < wl.ReadFrac+wl.DeleteFrac:
		o.Kind = "delete"
	default:
		o.Kind, o.Value = "put", padValue("c"+strconv.Itoa(id)+"-"+strconv.Itoa(n), wl.ValueSize)
	}
	return o
}

// RunClient performs client id's operations against regs until they are
// done or ctx ends, recording each in h.
func (wl RegisterWorkload) RunClient(ctx context.Context, id int, env Env, rnd rt.Rand, regs Registers, h *History) {
	for n := range wl.OpsPerClient {
		if !wl.step(ctx, id, n, env, rnd, regs, h) {
			return
		}
	}
}

// RunUntil performs client id's operations, as many as fit, until the
// client's monotonic clock reaches end or ctx ends: steady traffic for a
// time-bounded experiment.
func (wl RegisterWorkload) RunUntil(ctx context.Context, id int, env Env, rnd rt.Rand, regs Registers, h *History, end time.Duration) {
	for n := 0; env.Clock.Mono() < end; n++ {
		if !wl.step(ctx, id, n, env, rnd, regs, h) {
			return
		}
	}
}

// step performs the client's n-th operation and its pause, and reports
// whether the client may go on.
func (wl RegisterWorkload) step(ctx context.Context, id, n int, env Env, rnd rt.Rand, regs Registers, h *History) bool {
	if ctx.Err() != nil {
		return false
	}
	o := wl.Do(ctx, env, regs, h, wl.NextOp(id, n, rnd))
	pause := wl.Think
	if !o.OK {
		pause = max(pause, wl.ErrorPause)
	}
	return pause <= 0 || env.Clock.Sleep(ctx, pause) == nil
}

// Do performs o against regs, records it in h and returns it completed.
func (wl RegisterWorkload) Do(ctx context.Context, env Env, regs Registers, h *History, o Op) Op {
	o.ID = h.Rec.Invoke(o.Client, checker.Op{Kind: checker.Kind(o.Kind), Key: o.Key, Value: o.Value, Final: o.Final})
	o.Start = env.Clock.Mono()
	octx, cancel := opCtx(ctx, env, wl.OpTimeout)
	defer cancel()
	var err error
	switch o.Kind {
	case "get":
		var v string
		var found bool
		if v, found, err = regs.Get(octx, o.Key); err == nil && found {
			o.Value = v
		}
	case "put":
		o.TS, err = regs.Put(octx, o.Key, o.Value)
	case "delete":
		o.TS, err = regs.Delete(octx, o.Key)
	}
	o.End, o.OK = env.Clock.Mono(), err == nil
	h.Rec.Complete(o.ID, Completion(o, err))
	if err != nil {
		o.Err = err.Error()
	}
	h.Add(o)
	return o
}

// FinalGet reads key once as a final read (after every fault healed) and
// reports whether it succeeded.
func (wl RegisterWorkload) FinalGet(ctx context.Context, id int, env Env, regs Registers, h *History, key string) bool {
	return wl.Do(ctx, env, regs, h, Op{Client: id, Kind: "get", Key: key, Final: true}).OK
}

// padValue pads tag with dots to size bytes; the tag keeps it unique.
func padValue(tag string, size int) string {
	if len(tag) >= size {
		return tag
	}
	return tag + strings.Repeat(".", size-len(tag))
}

// Completion maps an outcome to what the checker needs: a failed read had
// no effect, but a failed write may have reached some replicas (unknown).
func Completion(o Op, err error) checker.Completion {
	switch {
	case err == nil && o.Kind == "get":
		c := checker.Completion{Outcome: checker.OK}
		if o.Value != "" {
			c.Observed = []string{o.Value}
		}
		return c
	case err == nil && o.TS == 0: // an API that does not report timestamps (S3)
		return checker.Completion{Outcome: checker.OK}
	case err == nil:
		return checker.Completion{Outcome: checker.OK, TS: checker.TS(int64(o.TS))}
	case o.Kind == "get":
		return checker.Completion{Outcome: checker.Fail}
	}
	return checker.Completion{Outcome: checker.Unknown}
}
