package host

import (
	"slices"
	"sync"
	"time"
)

// Goroutines of the real world come from a pool: a goroutine that ran a
// task waits workerIdle for the next one before it exits. A task then
// starts on a stack that earlier tasks already grew, instead of growing a
// fresh one by copying it at each doubling: a request handled by a chain
// of short tasks spent about 5 % of its CPU in stack growth before.
const workerIdle = 10 * time.Second

const maxIdleWorker = 1024

// The process's pools: taskWorkers runs tasks of nodes (Tasks.Spawn,
// the Net's local handlers and started calls), netWorkers the Net's
// goroutines that are not tasks. Their goroutines run in taskLoop and
// netLoop, so that a stack tells which kind it is (tests check where node
// code runs).
var (
	taskWorkers = workerPool{loop: taskLoop}
	netWorkers  = workerPool{loop: netLoop}
)

type workerPool struct {
	loop    func(p *workerPool, fn func())
	idleFor time.Duration // how long an idle goroutine waits: workerIdle if 0 (tests set it)
	mu      sync.Mutex
	idle    []chan func() // most recently parked last
}

//go:noinline
func taskLoop(p *workerPool, fn func()) { p.work(fn) }

//go:noinline
func netLoop(p *workerPool, fn func()) { p.work(fn) }

// run runs fn in a goroutine of the pool.
func (p *workerPool) run(fn func()) {
	p.mu.Lock()
	if n := len(p.idle); n > 0 {
		ch := p.idle[n-1]
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		ch <- fn
		return
	}
	p.mu.Unlock()
	go p.loop(p, fn)
}

// work runs fn, then the functions handed to it while it is idle.
func (p *workerPool) work(fn func()) {
	ch := make(chan func(), 1)
	var timer *time.Timer
	idleFor := p.idleFor
	if idleFor == 0 {
		idleFor = workerIdle
	}
	for {
		fn()
		fn = nil
		if !p.park(ch) {
			return
		}
		if timer == nil {
			timer = time.NewTimer(idleFor)
		} else {
			timer.Reset(idleFor)
		}
		select {
		case fn = <-ch:
			timer.Stop()
		case <-timer.C:
			if p.unpark(ch) {
				return
			}
			fn = <-ch // taken just as the timer fired: its function is coming
		}
	}
}

// park makes ch's worker available; false if enough already are.
func (p *workerPool) park(ch chan func()) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.idle) >= maxIdleWorker {
		return false
	}
	p.idle = append(p.idle, ch)
	return true
}

// unpark withdraws ch's worker; false if a caller of run already took it.
func (p *workerPool) unpark(ch chan func()) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	i := slices.Index(p.idle, ch)
	if i < 0 {
		return false
	}
	p.idle = slices.Delete(p.idle, i, i+1)
	return true
}
