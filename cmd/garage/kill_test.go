package main

import (
	"fmt"
	"strings"
	"sync"
	"testing"
)

// writer runs `garage debug put` in a loop against one node and records
// the writes acknowledged (exit 0). Failed writes are unknown, not lost.
type writer struct {
	p    *proc
	mu   sync.Mutex
	acks []string // keys acknowledged, in order; key k<i> holds v<i>
	errs int
	stop chan struct{}
	done chan struct{}
}

func startWriter(p *proc) *writer {
	w := &writer{p: p, stop: make(chan struct{}), done: make(chan struct{})}
	go w.loop()
	return w
}

func (w *writer) loop() {
	defer close(w.done)
	for i := 0; ; i++ {
		select {
		case <-w.stop:
			return
		default:
		}
		key := fmt.Sprintf("k%04d", i)
		r := runGarage(w.p.t, nil, "-c", w.p.config, "debug", "put", key, "v"+key[1:])
		w.mu.Lock()
		if r.code == 0 {
			w.acks = append(w.acks, key)
		} else {
			w.errs++
		}
		w.mu.Unlock()
	}
}

func (w *writer) count() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.acks)
}

// waitMore waits until n more writes than now are acknowledged.
func (w *writer) waitMore(t *testing.T, n int) {
	t.Helper()
	target := w.count() + n
	eventually(t, fmt.Sprintf("%d acknowledged writes", target), func() error {
		w.mu.Lock()
		got, failed := len(w.acks), w.errs
		w.mu.Unlock()
		if got < target {
			return fmt.Errorf("%d acknowledged, %d failed", got, failed)
		}
		return nil
	})
}

func (w *writer) finish() []string {
	close(w.stop)
	<-w.done
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.acks...)
}

// testKill9 writes through the first node while the second and third are
// killed with SIGKILL and restarted in turn (metadata_fsync on), then
// stops the first node and reads every acknowledged key through the two
// others: each must have kept what it acknowledged, or the read would miss
// writes that reached only the first node and a killed one.
func testKill9(t *testing.T, ps []*proc) {
	n1, n2, n3 := ps[0], ps[1], ps[2]
	w := startWriter(n1)
	for _, victim := range []*proc{n3, n2} {
		w.waitMore(t, 10)
		victim.kill()
		w.waitMore(t, 10)
		victim.start()
		waitHealthy(t, n1, ps...)
	}
	w.waitMore(t, 10)
	acked := w.finish()
	t.Logf("%d writes acknowledged, %d failed", len(acked), w.errs)
	n1.stop()
	waitHealthy(t, n3, n2, n3)
	for _, key := range acked {
		r := n3.run("debug", "get", key)
		if got, want := strings.TrimSpace(r.stdout), "v"+key[1:]; r.code != 0 || got != want {
			t.Errorf("acknowledged write lost: get %s: exit %d, got %q, want %q (%s)", key, r.code, got, want,
				strings.TrimSpace(r.stderr))
		}
	}
}
