package host

import (
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// goid returns the calling goroutine's id, from its stack's first line.
func goid() string {
	buf := make([]byte, 64)
	return strings.Fields(string(buf[:runtime.Stack(buf, false)]))[1]
}

// TestWorkerPoolReusesAndRetires runs functions one after the other on a
// pool of its own: they share one goroutine; concurrent ones get their
// own; an idle goroutine leaves the pool after its idle time.
func TestWorkerPoolReusesAndRetires(t *testing.T) {
	p := &workerPool{loop: taskLoop, idleFor: 200 * time.Millisecond}
	ids := make(chan string, 1)
	p.run(func() { ids <- goid() })
	id := <-ids
	first := id
	for range 4 {
		waitIdle(t, p, 1)
		p.run(func() { ids <- goid() })
		if id = <-ids; id != first {
			t.Fatalf("sequential functions ran on goroutines %s and %s, want one", first, id)
		}
	}
	var wg sync.WaitGroup
	release := make(chan struct{})
	seen := map[string]bool{}
	var mu sync.Mutex
	for range 3 {
		wg.Add(1)
		p.run(func() {
			defer wg.Done()
			mu.Lock()
			seen[goid()] = true
			mu.Unlock()
			<-release
		})
	}
	close(release)
	wg.Wait()
	if len(seen) != 3 {
		t.Fatalf("3 concurrent functions ran on %d goroutines, want 3", len(seen))
	}
	waitIdle(t, p, 3)
	waitIdle(t, p, 0) // retired after its idle time
}

// waitIdle waits up to 5 s for the pool to hold n idle goroutines.
func waitIdle(t *testing.T, p *workerPool, n int) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		p.mu.Lock()
		got := len(p.idle)
		p.mu.Unlock()
		if got == n {
			return
		}
	}
	t.Fatalf("the pool did not reach %d idle goroutines", n)
}
