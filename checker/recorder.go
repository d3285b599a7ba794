package checker

import (
	"fmt"
	"sync"
)

// Completion is what a client learnt when an operation returned.
type Completion struct {
	Outcome  Outcome
	Observed []string   // reads and list pages: what was seen
	TS       *Timestamp // writes: the LWW timestamp assigned, when known
	More     bool       // list pages: the listing continues
}

// Recorder builds a history as operations happen, assigning op ids, client
// ids and strictly increasing stamps. It is safe for concurrent use, and
// deterministic when driven from one goroutine (as in the simulator).
type Recorder struct {
	mu      sync.Mutex
	now     Stamp
	h       History // Meta and Nemeses; the ops are in chunks
	chunks  [][]Op  // op i (from 0) at chunks[i/opChunk][i%opChunk]
	n       int     // ops recorded
	open    map[OpID]openOp
	busy    map[int]OpID // in-flight op per worker
	clients map[int]ClientID
	next    ClientID
}

// opChunk is the number of ops per chunk: ops are stored in fixed chunks
// so that recording one never copies those recorded before.
const opChunk = 256

type openOp struct {
	index  int
	worker int
}

// NewRecorder returns an empty recorder; meta is copied into the history.
func NewRecorder(meta map[string]string) *Recorder {
	r := &Recorder{open: make(map[OpID]openOp), busy: make(map[int]OpID), clients: make(map[int]ClientID)}
	if len(meta) > 0 {
		r.h.Meta = make(map[string]string, len(meta))
		for k, v := range meta {
			r.h.Meta[k] = v
		}
	}
	return r
}

func (r *Recorder) tick() Stamp {
	r.now++
	return r.now
}

// clientOf returns the current client id of a worker, allocating one the
// first time.
func (r *Recorder) clientOf(worker int) ClientID {
	c, ok := r.clients[worker]
	if !ok {
		c = r.next
		r.next++
		r.clients[worker] = c
	}
	return c
}

// Invoke records the call of op by worker (a stable workload thread) and
// returns its id. Kind, Set, Key, Value, Listing and Final are taken from
// op; id, client, call stamp and outcome are assigned. It panics if the
// worker already has an operation in flight.
func (r *Recorder) Invoke(worker int, op Op) OpID {
	r.mu.Lock()
	defer r.mu.Unlock()
	if id, ok := r.busy[worker]; ok {
		panic(fmt.Sprintf("checker: worker %d invokes while %v is in flight", worker, id))
	}
	op.ID = OpID(r.n + 1)
	op.Client = r.clientOf(worker)
	op.Call = r.tick()
	op.Return = Inf
	op.Outcome = Unknown
	r.open[op.ID] = openOp{index: r.n, worker: worker}
	r.busy[worker] = op.ID
	r.add(op)
	return op.ID
}

// add appends op to the chunks.
func (r *Recorder) add(op Op) {
	if r.n%opChunk == 0 {
		r.chunks = append(r.chunks, make([]Op, 0, opChunk))
	}
	last := len(r.chunks) - 1
	r.chunks[last] = append(r.chunks[last], op)
	r.n++
}

// op returns the recorded op at index i (from 0).
func (r *Recorder) op(i int) *Op { return &r.chunks[i/opChunk][i%opChunk] }

// Complete records the return of operation id. After an Unknown outcome
// the worker continues under a new client id, as porcupine requires (the
// op stays in flight forever). It panics on an id not in flight.
func (r *Recorder) Complete(id OpID, c Completion) {
	r.mu.Lock()
	defer r.mu.Unlock()
	o, ok := r.open[id]
	if !ok {
		panic(fmt.Sprintf("checker: complete %v: not in flight", id))
	}
	delete(r.open, id)
	delete(r.busy, o.worker)
	op := r.op(o.index)
	op.Outcome, op.Observed, op.TS, op.More = c.Outcome, c.Observed, c.TS, c.More
	if c.Outcome == Unknown {
		op.Outcome, op.Return = Unknown, Inf
		delete(r.clients, o.worker)
		return
	}
	op.Return = r.tick()
}

// Nemesis records a fault-injection event and returns its stamp.
func (r *Recorder) Nemesis(kind, desc string) Stamp {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.tick()
	r.h.Nemeses = append(r.h.Nemeses, Nemesis{Stamp: s, Kind: kind, Description: desc})
	return s
}

// Now returns the last stamp handed out (for MarkFinal).
func (r *Recorder) Now() Stamp {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.now
}

// History returns a copy of the history so far. Operations still in flight
// appear with an unknown outcome.
func (r *Recorder) History() History {
	r.mu.Lock()
	defer r.mu.Unlock()
	h := History{}
	if r.h.Meta != nil {
		h.Meta = make(map[string]string, len(r.h.Meta))
		for k, v := range r.h.Meta {
			h.Meta[k] = v
		}
	}
	if r.n > 0 {
		h.Ops = make([]Op, 0, r.n)
	}
	for _, c := range r.chunks {
		h.Ops = append(h.Ops, c...)
	}
	h.Nemeses = append([]Nemesis(nil), r.h.Nemeses...)
	return h
}
