package checker

import (
	"fmt"
	"sync"
	"testing"
)

func TestRecorder(t *testing.T) {
	r := NewRecorder(map[string]string{"seed": "1"})
	a := r.Invoke(0, Op{Kind: KindPut, Key: "k", Value: "v1"})
	b := r.Invoke(1, Op{Kind: KindGet, Key: "k"})
	r.Complete(a, Completion{Outcome: OK, TS: TS(7)})
	n := r.Nemesis("partition", "n1 | n2")
	r.Complete(b, Completion{Outcome: Unknown})
	c := r.Invoke(1, Op{Kind: KindGet, Key: "k"})
	r.Complete(c, Completion{Outcome: OK, Observed: []string{"v1"}})
	d := r.Invoke(0, Op{Kind: KindDelete, Key: "k"})
	h := r.History()

	want := []Op{
		{ID: a, Client: 0, Kind: KindPut, Key: "k", Value: "v1", TS: TS(7), Outcome: OK, Call: 1, Return: 3},
		{ID: b, Client: 1, Kind: KindGet, Key: "k", Outcome: Unknown, Call: 2, Return: Inf},
		{ID: c, Client: 2, Kind: KindGet, Key: "k", Observed: []string{"v1"}, Outcome: OK, Call: 5, Return: 6},
		{ID: d, Client: 0, Kind: KindDelete, Key: "k", Outcome: Unknown, Call: 7, Return: Inf},
	}
	for i, w := range want {
		if !sameOp(h.Ops[i], w) {
			t.Errorf("op %d: got %s, want %s", i, dump(hist(h.Ops[i])), dump(hist(w)))
		}
	}
	if n != 4 || len(h.Nemeses) != 1 || h.Nemeses[0].Stamp != 4 {
		t.Errorf("nemesis stamp %v, history %+v", n, h.Nemeses)
	}
	if h.Meta["seed"] != "1" || r.Now() != 7 {
		t.Errorf("meta %v, now %v", h.Meta, r.Now())
	}
	mustValid(t, h)
}

// sameOp compares ops through their JSON form (TS is a pointer).
func sameOp(a, b Op) bool {
	return dump(hist(a)) == dump(hist(b))
}

func TestRecorderPanics(t *testing.T) {
	r := NewRecorder(nil)
	r.Invoke(0, Op{Kind: KindGet})
	for name, f := range map[string]func(){
		"double invoke":    func() { r.Invoke(0, Op{Kind: KindGet}) },
		"complete unknown": func() { r.Complete(99, Completion{Outcome: OK}) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

// TestRecorderConcurrent records from many goroutines and checks that the
// history is valid: unique, strictly increasing stamps, no client overlap.
func TestRecorderConcurrent(t *testing.T) {
	r := NewRecorder(nil)
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				id := r.Invoke(w, Op{Kind: KindPut, Key: "k", Value: fmt.Sprintf("w%d-%d", w, i)})
				out := OK
				if i%7 == 0 {
					out = Unknown
				}
				r.Complete(id, Completion{Outcome: out})
			}
		}(w)
	}
	wg.Wait()
	h := r.History()
	mustValid(t, h)
	if len(h.Ops) != 1600 {
		t.Errorf("got %d ops, want 1600", len(h.Ops))
	}
	if res := ReadAfterWriteSweep(h, Options{}); !res.OK {
		t.Errorf("writes only, yet %v", res)
	}
}
