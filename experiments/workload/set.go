package workload

import (
	"context"
	"fmt"
	"time"

	"github.com/gogarage/garage/checker"
	"github.com/gogarage/garage/node/rt"
)

// SetWorkload drives a replicated set the way Jepsen's set workload does:
// each client adds unique elements (and removes some it added), and lists
// the set now and then in tiny pages.
type SetWorkload struct {
	Clients      int           // concurrent clients
	OpsPerClient int           // adds, removes and listings per client
	PageSize     int           // elements per listing page (tiny: 1–4)
	ListFrac     float64       // fraction of operations that are full listings
	RemoveFrac   float64       // fraction of removes (of an element the client added)
	Think        time.Duration // pause between two operations of a client
	OpTimeout    time.Duration // client-side bound on each page or write (0: none)
	Set          string        // the set's name ("s0" if empty)
}

// DefaultSetWorkload is a small set workload: 3 clients, pages of 2.
func DefaultSetWorkload() SetWorkload {
	return SetWorkload{Clients: 3, OpsPerClient: 10, PageSize: 2, ListFrac: 0.3, RemoveFrac: 0.1,
		Think: 20 * time.Millisecond, OpTimeout: 10 * time.Second}
}

// Name returns the name of the workload's set.
func (wl SetWorkload) Name() string {
	if wl.Set == "" {
		return "s0"
	}
	return wl.Set
}

// Elements returns the key space of the workload, in listing order: every
// element any client could add ("c<client>-e<n>", zero-padded so that the
// string order is the listing order).
func (wl SetWorkload) Elements() []string {
	out := make([]string, 0, wl.Clients*wl.OpsPerClient)
	for c := range wl.Clients {
		for n := range wl.OpsPerClient {
			out = append(out, element(c, n))
		}
	}
	return out
}

func element(client, n int) string { return fmt.Sprintf("c%02d-e%03d", client, n) }

// RunClient performs client id's operations against the set.
func (wl SetWorkload) RunClient(ctx context.Context, id int, env Env, rnd rt.Rand, s Set, h *History) {
	var added []string
	for n := range wl.OpsPerClient {
		x := rnd.Float64()
		switch {
		case x < wl.ListFrac:
			wl.List(ctx, id, env, s, h, false)
		case x < wl.ListFrac+wl.RemoveFrac && len(added) > 0:
			i := rnd.IntN(len(added))
			elem := added[i]
			added = append(added[:i], added[i+1:]...)
			wl.write(ctx, id, env, s, h, checker.KindRemove, elem)
		default:
			elem := element(id, n)
			if wl.write(ctx, id, env, s, h, checker.KindAdd, elem) {
				added = append(added, elem)
			}
		}
		if wl.Think > 0 && env.Clock.Sleep(ctx, wl.Think) != nil {
			return
		}
	}
}

// write adds or removes elem and reports whether it was acknowledged.
func (wl SetWorkload) write(ctx context.Context, id int, env Env, s Set, h *History,
	kind checker.Kind, elem string) bool {
	o := Op{Client: id, Kind: string(kind), Key: elem}
	o.ID = h.Rec.Invoke(id, checker.Op{Kind: kind, Set: wl.Name(), Key: elem})
	o.Start = env.Clock.Mono()
	octx, cancel := opCtx(ctx, env, wl.OpTimeout)
	defer cancel()
	var err error
	if kind == checker.KindAdd {
		err = s.Add(octx, wl.Name(), elem)
	} else {
		err = s.Remove(octx, wl.Name(), elem)
	}
	o.End, o.OK = env.Clock.Mono(), err == nil
	c := checker.Completion{Outcome: checker.OK}
	if err != nil {
		c.Outcome, o.Err = checker.Unknown, err.Error()
	}
	h.Rec.Complete(o.ID, c)
	h.Add(o)
	return o.OK
}

// List reads the whole set page by page and reports whether the listing
// completed; final marks the listing of a liveness phase. Pages of one
// listing share the id of the first.
func (wl SetWorkload) List(ctx context.Context, id int, env Env, s Set, h *History, final bool) bool {
	cursor, first := "", checker.OpID(0)
	for {
		o := Op{Client: id, Kind: string(checker.KindList), Key: cursor, Final: final}
		o.ID = h.Rec.Invoke(id, checker.Op{Kind: checker.KindList, Set: wl.Name(), Listing: first, Final: final})
		if first == 0 {
			first = o.ID
		}
		o.Start = env.Clock.Mono()
		octx, cancel := opCtx(ctx, env, wl.OpTimeout)
		elems, next, err := s.ListPage(octx, wl.Name(), cursor, max(wl.PageSize, 1))
		cancel()
		o.End, o.OK = env.Clock.Mono(), err == nil
		c := checker.Completion{Outcome: checker.OK, Observed: elems, More: next != ""}
		if err != nil {
			c, o.Err = checker.Completion{Outcome: checker.Fail}, err.Error()
		}
		h.Rec.Complete(o.ID, c)
		h.Add(o)
		if err != nil || next == "" {
			return err == nil
		}
		cursor = next
	}
}
