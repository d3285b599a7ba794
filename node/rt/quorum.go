package rt

import (
	"context"
	"errors"
	"fmt"
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
		results: make([]Result[T], 0, n)}
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
	n, k      int
	mu        Mutex
	done      Event
	results   []Result[T]
	succ, bad int
	rest      func([]Result[T])
}

func (q *quorum[T]) record(r Result[T]) {
	q.mu.Lock()
	if len(q.results) == q.n {
		q.mu.Unlock()
		panic(fmt.Sprintf("rt: quorum call %d reported after all %d calls", r.Index, q.n))
	}
	q.results = append(q.results, r)
	if r.Err == nil {
		q.succ++
	} else {
		q.bad++
	}
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
