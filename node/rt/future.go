package rt

import "context"

// Future is a value that one task resolves and others wait for.
type Future[T any] struct {
	done Event
	mu   Mutex
	set  bool
	val  T
	err  error
}

// NewFuture returns an unresolved future.
func NewFuture[T any](t Tasks) *Future[T] {
	return &Future[T]{done: t.NewEvent(), mu: t.NewMutex()}
}

// Resolve sets the outcome. Only the first call counts; it reports whether
// it was the first.
func (f *Future[T]) Resolve(v T, err error) bool {
	f.mu.Lock()
	first := !f.set
	if first {
		f.set, f.val, f.err = true, v, err
	}
	f.mu.Unlock()
	if first {
		f.done.Set()
	}
	return first
}

// Wait blocks until the future is resolved or ctx is done.
func (f *Future[T]) Wait(ctx context.Context) (T, error) {
	if err := f.done.Wait(ctx); err != nil {
		var zero T
		return zero, err
	}
	return f.val, f.err
}

// Go runs fn in a new task and returns a future of its outcome.
func Go[T any](t Tasks, name string, fn func(ctx context.Context) (T, error)) *Future[T] {
	f := NewFuture[T](t)
	t.Spawn(name, func(ctx context.Context) { f.Resolve(fn(ctx)) })
	return f
}
