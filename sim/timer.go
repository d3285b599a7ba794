package sim

import "time"

// timer is one entry of the virtual-time heap. Timers due at the same
// instant fire in seq order; a stopped timer stays in the heap, dead, until
// its turn comes.
type timer struct {
	when time.Duration
	seq  uint64
	fire func()
	dead bool
}

// stop prevents the timer from firing and reports whether it was pending.
func (t *timer) stop() bool {
	if t == nil || t.dead {
		return false
	}
	t.dead = true
	t.fire = nil
	return true
}

// timerHeap is a binary min-heap ordered by (when, seq).
type timerHeap []*timer

func (h timerHeap) less(i, j int) bool {
	if h[i].when != h[j].when {
		return h[i].when < h[j].when
	}
	return h[i].seq < h[j].seq
}

func (h *timerHeap) push(t *timer) {
	*h = append(*h, t)
	h.up(len(*h) - 1)
}

func (h *timerHeap) pop() *timer {
	old := *h
	n := len(old) - 1
	top := old[0]
	old[0] = old[n]
	old[n] = nil
	*h = old[:n]
	if n > 0 {
		h.down(0)
	}
	return top
}

func (h timerHeap) up(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !h.less(i, p) {
			return
		}
		h[i], h[p] = h[p], h[i]
		i = p
	}
}

func (h timerHeap) down(i int) {
	n := len(h)
	for {
		l := 2*i + 1
		if l >= n {
			return
		}
		m := l
		if r := l + 1; r < n && h.less(r, l) {
			m = r
		}
		if !h.less(m, i) {
			return
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
}

// peekLive drops dead timers from the top and returns the earliest live
// one, or nil.
func (h *timerHeap) peekLive() *timer {
	for len(*h) > 0 {
		if t := (*h)[0]; !t.dead {
			return t
		}
		h.pop()
	}
	return nil
}
