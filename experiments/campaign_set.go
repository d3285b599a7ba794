package experiments

import (
	"context"
	"fmt"
	"time"

	"github.com/gogarage/garage/checker"
	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/node/table"
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

// SetStore is what the set workload needs from a replicated table: adds,
// removes and a paginated range read. A listing starts with an empty
// cursor; a page returns the elements present among the next limit keys
// and the cursor of the next page ("" after the last page).
type SetStore interface {
	Add(ctx context.Context, set, elem string) error
	Remove(ctx context.Context, set, elem string) error
	ListPage(ctx context.Context, set, cursor string, limit int) (elems []string, next string, err error)
}

// setName returns the name of the workload's set.
func (wl SetWorkload) setName() string {
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

// runClient performs one client's operations against the set.
func (wl SetWorkload) runClient(ctx context.Context, id int, env rt.Env, rnd rt.Rand,
	store func() SetStore, h *History) {
	var added []string
	for n := range wl.OpsPerClient {
		x := rnd.Float64()
		switch {
		case x < wl.ListFrac:
			wl.list(ctx, id, env, store, h, false)
		case x < wl.ListFrac+wl.RemoveFrac && len(added) > 0:
			i := rnd.IntN(len(added))
			elem := added[i]
			added = append(added[:i], added[i+1:]...)
			wl.write(ctx, id, env, store(), h, checker.KindRemove, elem)
		default:
			elem := element(id, n)
			if wl.write(ctx, id, env, store(), h, checker.KindAdd, elem) {
				added = append(added, elem)
			}
		}
		if wl.Think > 0 && env.Clock.Sleep(ctx, wl.Think) != nil {
			return
		}
	}
}

// opCtx bounds one operation by OpTimeout.
func (wl SetWorkload) opCtx(ctx context.Context, env rt.Env) (context.Context, context.CancelFunc) {
	if wl.OpTimeout <= 0 {
		return ctx, func() {}
	}
	return env.Tasks.WithTimeout(ctx, wl.OpTimeout)
}

// write adds or removes elem and reports whether it was acknowledged.
func (wl SetWorkload) write(ctx context.Context, id int, env rt.Env, s SetStore, h *History,
	kind checker.Kind, elem string) bool {
	o := Op{Client: id, Kind: string(kind), Key: elem}
	o.ID = h.Rec.Invoke(id, checker.Op{Kind: kind, Set: wl.setName(), Key: elem})
	o.Start = env.Clock.Mono()
	octx, cancel := wl.opCtx(ctx, env)
	defer cancel()
	var err error
	if kind == checker.KindAdd {
		err = s.Add(octx, wl.setName(), elem)
	} else {
		err = s.Remove(octx, wl.setName(), elem)
	}
	o.End, o.OK = env.Clock.Mono(), err == nil
	c := checker.Completion{Outcome: checker.OK}
	if err != nil {
		c.Outcome, o.Err = checker.Unknown, err.Error()
	}
	h.Rec.Complete(o.ID, c)
	h.add(o)
	return o.OK
}

// list reads the whole set page by page and reports whether the listing
// completed. Pages of one listing share the id of the first.
func (wl SetWorkload) list(ctx context.Context, id int, env rt.Env, store func() SetStore,
	h *History, final bool) bool {
	cursor, first := "", checker.OpID(0)
	for {
		o := Op{Client: id, Kind: string(checker.KindList), Key: cursor}
		o.ID = h.Rec.Invoke(id, checker.Op{Kind: checker.KindList, Set: wl.setName(), Listing: first, Final: final})
		if first == 0 {
			first = o.ID
		}
		o.Start = env.Clock.Mono()
		octx, cancel := wl.opCtx(ctx, env)
		elems, next, err := store().ListPage(octx, wl.setName(), cursor, max(wl.PageSize, 1))
		cancel()
		o.End, o.OK = env.Clock.Mono(), err == nil
		c := checker.Completion{Outcome: checker.OK, Observed: elems, More: next != ""}
		if err != nil {
			c, o.Err = checker.Completion{Outcome: checker.Fail}, err.Error()
		}
		h.Rec.Complete(o.ID, c)
		h.add(o)
		if err != nil || next == "" {
			return err == nil
		}
		cursor = next
	}
}

// registerSet backs SetStore with the register store until the generalised
// table offers range reads: one register per element ("<set>/<elem>",
// present or tombstoned), and a listing that reads a fixed key space in
// order, page by page, one quorum read per key.
type registerSet struct {
	store func() *table.Store
	space []string // every element that may exist, in listing order
}

var _ SetStore = (*registerSet)(nil)

func (rs *registerSet) Add(ctx context.Context, set, elem string) error {
	_, err := rs.store().Put(ctx, set+"/"+elem, []byte{1})
	return err
}

func (rs *registerSet) Remove(ctx context.Context, set, elem string) error {
	_, err := rs.store().Delete(ctx, set+"/"+elem)
	return err
}

// ListPage reads the limit keys of the space after cursor (the last key of
// the previous page) and returns those present.
func (rs *registerSet) ListPage(ctx context.Context, set, cursor string, limit int) ([]string, string, error) {
	i := 0
	if cursor != "" {
		for i < len(rs.space) && rs.space[i] <= cursor {
			i++
		}
	}
	end := min(i+limit, len(rs.space))
	var elems []string
	for _, elem := range rs.space[i:end] {
		r, err := rs.store().Get(ctx, set+"/"+elem)
		if err != nil {
			return nil, "", fmt.Errorf("list %s from %q: %w", set, cursor, err)
		}
		if !r.Deleted && r.Value != nil {
			elems = append(elems, elem)
		}
	}
	if end == len(rs.space) {
		return elems, "", nil
	}
	return elems, rs.space[end-1], nil
}
