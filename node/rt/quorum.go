package rt

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Result is the outcome of one call of a quorum.
type Result[T any] struct {
	Index int // which of the n calls
	Val   T
	Err   error
}

// QuorumError reports a quorum that could not be reached.
type QuorumError struct {
	Need, Got, Of int
	Errs          []error
}

func (e *QuorumError) Error() string {
	return fmt.Sprintf("quorum not reached: %d of %d succeeded, %d needed: %v",
		e.Got, e.Of, e.Need, errors.Join(e.Errs...))
}

// Unwrap returns the errors of the failed calls.
func (e *QuorumError) Unwrap() []error { return e.Errs }

// Quorum starts call(ctx, i) for i in [0, n), each in its own task, and
// returns as soon as k of them succeeded, or as soon as k successes have
// become impossible (then with a *QuorumError), or when ctx is done. Calls
// still running go on in the background; once all n have finished, rest (if
// not nil) receives every result, in completion order. The results returned
// are those received so far, in completion order.
//
// The calls get the node's lifetime context, not ctx: they outlive the
// caller's wait. Bound them with their own timeouts.
func Quorum[T any](ctx context.Context, t Tasks, n, k int,
	call func(ctx context.Context, i int) (T, error),
	rest func(all []Result[T])) ([]Result[T], error) {
	return QuorumStart(ctx, t, n, k, func(i int, done func(T, error)) {
		t.Spawn("quorum-call", func(cctx context.Context) { done(call(cctx, i)) })
	}, rest)
}

// QuorumStart is Quorum for calls that need no task of their own to wait:
// start(i, done) starts call i and arranges for done to receive its outcome
// exactly once, before start returns or later (see Starter.Start; done
// never blocks). The results, errors and rest are as for Quorum.
func QuorumStart[T any](ctx context.Context, t Tasks, n, k int,
	start func(i int, done func(T, error)),
	rest func(all []Result[T])) ([]Result[T], error) {
	if k > n {
		return nil, &QuorumError{Need: k, Of: n}
	}
	q := &quorum[T]{n: n, k: k, mu: t.NewMutex(), done: t.NewEvent(), rest: rest,
		tally: tally[T]{results: make([]Result[T], 0, n)}}
	if k <= 0 {
		q.done.Set()
	}
	for i := range n {
		start(i, func(v T, err error) { q.record(Result[T]{Index: i, Val: v, Err: err}) })
	}
	if err := q.done.Wait(ctx); err != nil {
		return q.snapshot(), err
	}
	got := q.snapshot()
	if succeeded(got) < k {
		return got, &QuorumError{Need: k, Got: succeeded(got), Of: n, Errs: errorsOf(got)}
	}
	return got, nil
}

// quorum collects the results of one Quorum. results has capacity n from
// the start, so appending never moves the results already handed out.
type quorum[T any] struct {
	n, k int
	mu   Mutex
	done Event
	tally[T]
	rest func([]Result[T])
}

// tally holds a quorum's results and counts them.
type tally[T any] struct {
	results   []Result[T]
	succ, bad int
}

// add records r, one of at most limit results; mu, the quorum's mutex,
// is held (and released before a panic).
func (t *tally[T]) add(r Result[T], limit int, mu Mutex) {
	if len(t.results) == limit {
		mu.Unlock()
		panic(fmt.Sprintf("rt: quorum call %d reported after all %d calls started", r.Index, limit))
	}
	t.results = append(t.results, r)
	if r.Err == nil {
		t.succ++
	} else {
		t.bad++
	}
}

func (q *quorum[T]) record(r Result[T]) {
	q.mu.Lock()
	q.add(r, q.n, q.mu)
	reached := q.succ >= q.k || q.bad > q.n-q.k
	var all []Result[T]
	if len(q.results) == q.n {
		all = q.results
	}
	q.mu.Unlock()
	if reached {
		q.done.Set()
	}
	if all != nil && q.rest != nil {
		q.rest(all)
	}
}

// snapshot returns the results so far. It shares q's array but is capped at
// its length: later results land past it and never overwrite it.
func (q *quorum[T]) snapshot() []Result[T] {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.results[:len(q.results):len(q.results)]
}

func succeeded[T any](rs []Result[T]) int {
	n := 0
	for _, r := range rs {
		if r.Err == nil {
			n++
		}
	}
	return n
}

func errorsOf[T any](rs []Result[T]) []error {
	var errs []error
	for _, r := range rs {
		if r.Err != nil {
			errs = append(errs, fmt.Errorf("call %d: %w", r.Index, r.Err))
		}
	}
	return errs
}

// QuorumFirst is QuorumStart for calls listed most preferred first, of
// which any k make a quorum: it starts the first k calls only, and one
// more, in order, each time a call fails; if the quorum is still open
// after hedge, it starts every call not started yet (hedge <= 0: every
// call starts at once, as with QuorumStart). A read that asks a read
// quorum first (Garage asks the preferred nodes first and more only on
// failure) sends k requests instead of n in the common case; the hedge
// bounds what a silent node that the failure detector has not noticed yet
// costs. t.WithTimeout measures the hedge. Once the outcome is known and
// every call started has finished, rest (if not nil) receives their
// results, in completion order; calls not started never start. The
// results and errors are as for QuorumStart.
func QuorumFirst[T any](ctx context.Context, t Tasks, n, k int, hedge time.Duration,
	start func(i int, done func(T, error)),
	rest func(all []Result[T])) ([]Result[T], error) {
	if hedge <= 0 || k >= n || k <= 0 {
		return QuorumStart(ctx, t, n, k, start, rest)
	}
	q := &firstQuorum[T]{n: n, k: k, mu: t.NewMutex(), rest: rest, tally: tally[T]{results: make([]Result[T], 0, n)}}
	hctx, cancel := t.WithTimeout(ctx, hedge)
	defer cancel()
	hedged := false
	for {
		q.mu.Lock()
		from, to := q.started, q.toStart(hedged)
		var wake Event
		switch {
		case q.settled(): // and stays so: the counts only grow
			q.mu.Unlock()
			got := q.close()
			if succeeded(got) < k {
				return got, &QuorumError{Need: k, Got: succeeded(got), Of: n, Errs: errorsOf(got)}
			}
			return got, nil
		case to > from:
			q.started = to
		default:
			q.wake = t.NewEvent()
			wake = q.wake
		}
		q.mu.Unlock()
		for i := from; i < to; i++ {
			start(i, func(v T, err error) { q.record(Result[T]{Index: i, Val: v, Err: err}) })
		}
		if wake == nil {
			continue
		}
		wctx := hctx
		if hedged {
			wctx = ctx
		}
		if err := wake.Wait(wctx); err != nil {
			if ctx.Err() == nil {
				hedged = true // the hedge ran out: ask the rest
				continue
			}
			return q.close(), ctx.Err()
		}
	}
}

// firstQuorum collects the results of one QuorumFirst. results has
// capacity n from the start, so appending never moves the results already
// handed out.
type firstQuorum[T any] struct {
	n, k     int
	mu       Mutex
	wake     Event // set by record for the waiting caller; nil when none waits
	tally[T]       // outcomes so far
	started  int   // calls 0..started-1 have started
	closed   bool  // the outcome is known: no call starts any more
	rest     func([]Result[T])
}

// toStart returns how many calls should have started: enough for the
// quorum if every call still running succeeds, or all of them once
// hedged. q.mu is held.
func (q *firstQuorum[T]) toStart(hedged bool) int {
	if hedged {
		return q.n
	}
	running := q.started - q.succ - q.bad
	return min(q.n, q.started+max(0, q.k-q.succ-running))
}

// settled reports whether the outcome is known: a quorum of successes, or
// too many failures for one. q.mu is held.
func (q *firstQuorum[T]) settled() bool { return q.succ >= q.k || q.bad > q.n-q.k }

// allLocked returns every result if every call started has finished and
// no more will start, else nil. q.mu is held.
func (q *firstQuorum[T]) allLocked() []Result[T] {
	if q.closed && len(q.results) == q.started {
		return q.results
	}
	return nil
}

func (q *firstQuorum[T]) record(r Result[T]) {
	q.mu.Lock()
	q.add(r, q.started, q.mu)
	all := q.allLocked()
	wake := q.wake
	if wake != nil && (r.Err != nil || q.settled()) {
		q.wake = nil
	} else {
		wake = nil
	}
	q.mu.Unlock()
	if wake != nil {
		wake.Set()
	}
	if all != nil && q.rest != nil {
		q.rest(all)
	}
}

// close ends q for its caller, who knows the outcome or stops waiting: no
// call starts any more. It returns the results so far; rest runs now if
// every call started has finished, else when the last one does.
func (q *firstQuorum[T]) close() []Result[T] {
	q.mu.Lock()
	q.closed = true
	all := q.allLocked()
	got := q.results[:len(q.results):len(q.results)]
	q.mu.Unlock()
	if all != nil && q.rest != nil {
		q.rest(all)
	}
	return got
}
