package sim

import "time"

// timer is one entry of the virtual-time heap. Timers due at the same
// instant fire in seq order. A stopped timer leaves the heap at once, so
// its owner may arm it again: tasks, calls and contexts embed the timer
// they need instead of allocating one (and a closure) each time.
type timer struct {
	when   time.Duration
	seq    uint64
	pos    int   // 1 + position in the heap; 0 when not armed
	target firer // what firing does, unless wk names a task to wake
	wk     waker
}

// firer is what a timer does when it fires: a call timing out, a message
// arriving, a context reaching its deadline, or a plain function.
type firer interface{ fire(w *World) }

// fireFunc is a plain function as a timer's target.
type fireFunc func()

func (f fireFunc) fire(*World) { f() }

// armed reports whether the timer is in the heap.
func (t *timer) armed() bool { return t != nil && t.pos > 0 }

// fireNow runs the timer's action; it is out of the heap already.
func (t *timer) fireNow(w *World) {
	f, wk := t.target, t.wk
	t.target, t.wk = nil, waker{}
	if f != nil {
		f.fire(w)
		return
	}
	w.wake(wk)
}

// arm schedules t at now+d (at least now): it wakes wk, or fires target
// if target is not nil. t must not be armed.
func (w *World) arm(t *timer, d time.Duration, target firer, wk waker) {
	w.timerSeq++
	t.when, t.seq, t.target, t.wk = w.now+max(d, 0), w.timerSeq, target, wk
	w.timers.push(t)
}

// stop disarms t and reports whether it was pending.
func (w *World) stop(t *timer) bool {
	if !t.armed() {
		return false
	}
	w.timers.remove(t)
	t.target, t.wk = nil, waker{}
	return true
}

// timerHeap is a binary min-heap ordered by (when, seq). Entries carry
// their keys, so that sifting compares without chasing pointers; each
// timer knows its index, so that stopping one removes it in O(log n).
type timerHeap []heapEntry

type heapEntry struct {
	when time.Duration
	seq  uint64
	t    *timer
}

func (h timerHeap) less(i, j int) bool {
	a, b := &h[i], &h[j]
	if a.when != b.when {
		return a.when < b.when
	}
	return a.seq < b.seq
}

func (h timerHeap) swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].t.pos, h[j].t.pos = i+1, j+1
}

func (h *timerHeap) push(t *timer) {
	*h = append(*h, heapEntry{when: t.when, seq: t.seq, t: t})
	t.pos = len(*h)
	h.up(t.pos - 1)
}

// peek returns the earliest timer, or nil.
func (h timerHeap) peek() *timer {
	if len(h) == 0 {
		return nil
	}
	return h[0].t
}

// remove takes t, which is in the heap, out of it.
func (h *timerHeap) remove(t *timer) {
	i, last := t.pos-1, len(*h)-1
	if i != last {
		h.swap(i, last)
	}
	(*h)[last] = heapEntry{}
	*h = (*h)[:last]
	t.pos = 0
	if i != last {
		h.down(i)
		h.up(i)
	}
}

func (h timerHeap) up(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !h.less(i, p) {
			return
		}
		h.swap(i, p)
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
		h.swap(i, m)
		i = m
	}
}
