package host

import (
	"context"
	"sync"
	"time"

	"github.com/gogarage/garage/node/rt"
)

// Tasks runs a node's tasks as goroutines under one lifetime context.
// Cancel ends the lifetime; Wait blocks until every task has returned.
// Tasks spawned after Cancel still run (with a done context), so code that
// spawns during shutdown is never left waiting on a task that never ran.
type Tasks struct {
	ctx    context.Context
	cancel context.CancelFunc

	mu      sync.Mutex
	running int
	idle    *sync.Cond // signalled when running drops to zero
}

var _ rt.Tasks = (*Tasks)(nil)

// NewTasks returns a task group whose lifetime context derives from parent.
func NewTasks(parent context.Context) *Tasks {
	ctx, cancel := context.WithCancel(parent)
	t := &Tasks{ctx: ctx, cancel: cancel}
	t.idle = sync.NewCond(&t.mu)
	return t
}

// Context returns the lifetime context handed to every task.
func (t *Tasks) Context() context.Context { return t.ctx }

// Spawn runs fn in a goroutine (of a pool, see taskWorkers) with the
// lifetime context. A panic in fn
// is not recovered: in real mode it is a bug that crashes the daemon.
func (t *Tasks) Spawn(name string, fn func(ctx context.Context)) {
	t.mu.Lock()
	t.running++
	t.mu.Unlock()
	taskWorkers.run(func() {
		defer t.done()
		fn(t.ctx)
	})
}

func (t *Tasks) done() {
	t.mu.Lock()
	t.running--
	if t.running == 0 {
		t.idle.Broadcast()
	}
	t.mu.Unlock()
}

// Running returns the number of tasks that have not returned yet.
func (t *Tasks) Running() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.running
}

// Cancel cancels the lifetime context. It does not wait.
func (t *Tasks) Cancel() { t.cancel() }

// Wait blocks until no task is running.
func (t *Tasks) Wait() {
	t.mu.Lock()
	for t.running > 0 {
		t.idle.Wait()
	}
	t.mu.Unlock()
}

// Stop cancels the lifetime context and waits for every task to return.
func (t *Tasks) Stop() {
	t.Cancel()
	t.Wait()
}

// NewEvent returns an unset event.
func (t *Tasks) NewEvent() rt.Event { return NewEvent() }

// NewMutex returns an unlocked sync.Mutex.
func (t *Tasks) NewMutex() rt.Mutex { return new(sync.Mutex) }

// WithCancel is context.WithCancel.
func (t *Tasks) WithCancel(parent context.Context) (context.Context, context.CancelFunc) {
	return context.WithCancel(parent)
}

// WithTimeout is context.WithTimeout.
func (t *Tasks) WithTimeout(parent context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(parent, d)
}

// Event is a one-shot signal built on a closed channel.
type Event struct {
	once sync.Once
	ch   chan struct{}
}

var _ rt.Event = (*Event)(nil)

// NewEvent returns an unset event.
func NewEvent() *Event { return &Event{ch: make(chan struct{})} }

// Set sets the event and wakes every waiter; later calls do nothing.
func (e *Event) Set() { e.once.Do(func() { close(e.ch) }) }

// IsSet reports whether Set has been called.
func (e *Event) IsSet() bool {
	select {
	case <-e.ch:
		return true
	default:
		return false
	}
}

// Wait blocks until the event is set (nil) or ctx is done (ctx.Err()). When
// both hold, nil wins.
func (e *Event) Wait(ctx context.Context) error {
	if e.IsSet() {
		return nil
	}
	select {
	case <-e.ch:
		return nil
	case <-ctx.Done():
		if e.IsSet() {
			return nil
		}
		return ctx.Err()
	}
}
