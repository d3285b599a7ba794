package checker

import (
	"fmt"
	"testing"
)

// TestRecorderManyOps records ops across several storage chunks and checks
// that every op keeps its id, stamps and outcome, and that a completion
// lands on the right op.
func TestRecorderManyOps(t *testing.T) {
	r := NewRecorder(nil)
	n := 3*opChunk + 5
	for i := range n {
		id := r.Invoke(i%7, Op{Kind: KindPut, Key: "k", Value: fmt.Sprint("v", i)})
		if i%3 != 0 {
			r.Complete(id, Completion{Outcome: OK, TS: TS(int64(i))})
		} else {
			r.Complete(id, Completion{Outcome: Fail})
		}
	}
	h := r.History()
	if len(h.Ops) != n {
		t.Fatalf("got %d ops, want %d", len(h.Ops), n)
	}
	for i, o := range h.Ops {
		wantOut, wantCall := OK, Stamp(2*i+1)
		if i%3 == 0 {
			wantOut = Fail
		}
		if o.ID != OpID(i+1) || o.Call != wantCall || o.Return != wantCall+1 || o.Outcome != wantOut ||
			o.Value != fmt.Sprint("v", i) {
			t.Fatalf("op %d: got %+v; want id %d, call %d, return %d, outcome %v", i, o, i+1, wantCall, wantCall+1, wantOut)
		}
	}
	mustValid(t, h)
}

// TestRecorderEmptyHistory checks that a recorder with no op returns no
// ops (nil, as before ops were chunked).
func TestRecorderEmptyHistory(t *testing.T) {
	if got := NewRecorder(nil).History().Ops; got != nil {
		t.Errorf("got ops %v, want nil", got)
	}
}
