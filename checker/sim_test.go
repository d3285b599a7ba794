package checker

import (
	"fmt"
	"math/rand/v2"
	"sort"
)

// This file simulates an atomic register store and an atomic set store
// with random clients, so that tests get histories that are correct by
// construction (or wrong in a controlled way).

// simConf shapes a simulated history.
type simConf struct {
	workers, steps, keys int
	pUnknown, pFail      float64 // fate of each op
	staleReads           float64 // probability that a read returns a random written value
	naiveTS              bool    // timestamps from a skewed clock, without the newest+1 rule
	final                bool    // end with final reads of every key
}

type simOp struct {
	id      OpID
	op      Op
	fate    Outcome
	applied bool
	done    Completion
}

// registerSim drives a Recorder against an atomic register store.
type registerSim struct {
	rng      *rand.Rand
	c        simConf
	rec      *Recorder
	state    map[string]regState
	lastTS   map[string]int64
	written  map[string][]string
	inflight map[int]*simOp
	values   int
	clock    int64
}

func simRegister(seed uint64, c simConf) History {
	s := &registerSim{rng: rand.New(rand.NewPCG(seed, 1)), c: c, rec: NewRecorder(map[string]string{"seed": fmt.Sprint(seed)}),
		state: map[string]regState{}, lastTS: map[string]int64{}, written: map[string][]string{}, inflight: map[int]*simOp{}}
	for i := 0; i < c.steps; i++ {
		s.step(s.rng.IntN(c.workers))
	}
	for w := 0; w < c.workers; w++ {
		for s.inflight[w] != nil {
			s.step(w)
		}
	}
	if c.final {
		s.finalReads()
	}
	return s.rec.History()
}

func (s *registerSim) step(w int) {
	so := s.inflight[w]
	switch {
	case so == nil:
		s.invoke(w, s.randomOp())
	case so.fate == Fail:
		s.finish(w, Completion{Outcome: Fail})
	case !so.applied && (so.fate == OK || s.rng.IntN(2) == 0):
		s.apply(so)
	default:
		s.finish(w, so.done)
	}
}

func (s *registerSim) randomOp() Op {
	key := fmt.Sprintf("k%d", s.rng.IntN(s.c.keys))
	switch r := s.rng.IntN(10); {
	case r < 4:
		s.values++
		return Op{Kind: KindPut, Key: key, Value: fmt.Sprintf("v%d", s.values)}
	case r < 5:
		return Op{Kind: KindDelete, Key: key}
	default:
		return Op{Kind: KindGet, Key: key}
	}
}

func (s *registerSim) invoke(w int, op Op) {
	fate := OK
	switch p := s.rng.Float64(); {
	case p < s.c.pUnknown:
		fate = Unknown
	case p < s.c.pUnknown+s.c.pFail:
		fate = Fail
	}
	s.inflight[w] = &simOp{id: s.rec.Invoke(w, op), op: op, fate: fate, done: Completion{Outcome: fate}}
}

func (s *registerSim) finish(w int, c Completion) {
	s.rec.Complete(s.inflight[w].id, c)
	delete(s.inflight, w)
}

// apply is the operation's linearization point.
func (s *registerSim) apply(so *simOp) {
	so.applied = true
	s.clock += int64(s.rng.IntN(3))
	k := so.op.Key
	switch so.op.Kind {
	case KindGet:
		so.done.Observed = s.observe(k)
	default:
		s.state[k] = regState{set: so.op.Value != "", v: so.op.Value}
		s.written[k] = append(s.written[k], so.op.Value)
		so.done.TS = TS(s.timestamp(k))
	}
}

func (s *registerSim) observe(k string) []string {
	st := s.state[k]
	if s.rng.Float64() < s.c.staleReads {
		choices := append([]string{"", fmt.Sprintf("v%d", s.values+1)}, s.written[k]...)
		st = regState{v: choices[s.rng.IntN(len(choices))]}
		st.set = st.v != ""
	}
	if !st.set {
		return nil
	}
	return []string{st.v}
}

func (s *registerSim) timestamp(k string) int64 {
	now := s.clock + int64(s.rng.IntN(5)) // skewed node clocks
	if !s.c.naiveTS {
		now = max(now, s.lastTS[k]+1)
	}
	s.lastTS[k] = max(s.lastTS[k], now)
	return now
}

func (s *registerSim) finalReads() {
	for k := 0; k < s.c.keys; k++ {
		key := fmt.Sprintf("k%d", k)
		id := s.rec.Invoke(0, Op{Kind: KindGet, Key: key, Final: true})
		s.rec.Complete(id, Completion{Outcome: OK, Observed: s.observeExact(key)})
	}
}

func (s *registerSim) observeExact(k string) []string {
	if st := s.state[k]; st.set {
		return []string{st.v}
	}
	return nil
}

// setSim drives a Recorder against an atomic set with paginated listings.
type setSim struct {
	rng      *rand.Rand
	c        simConf
	rec      *Recorder
	elems    map[string]bool
	added    []string
	inflight map[int]*simOp
	cursor   map[int]*listCursor
	n        int
}

type listCursor struct {
	listing OpID
	after   string
	size    int
}

func simSet(seed uint64, c simConf) History {
	s := &setSim{rng: rand.New(rand.NewPCG(seed, 2)), c: c, rec: NewRecorder(nil), elems: map[string]bool{},
		inflight: map[int]*simOp{}, cursor: map[int]*listCursor{}}
	for i := 0; i < c.steps; i++ {
		s.step(s.rng.IntN(c.workers), false)
	}
	for w := 0; w < c.workers; w++ {
		for s.inflight[w] != nil || s.cursor[w] != nil {
			s.step(w, false)
		}
	}
	if c.final {
		s.step(0, true)
		for s.inflight[0] != nil || s.cursor[0] != nil {
			s.step(0, true)
		}
	}
	return s.rec.History()
}

func (s *setSim) step(w int, final bool) {
	so := s.inflight[w]
	switch {
	case so == nil:
		s.invoke(w, final)
	case so.fate == Fail:
		s.finish(w, Completion{Outcome: Fail})
	case !so.applied && (so.fate == OK || s.rng.IntN(2) == 0):
		s.apply(w, so)
	default:
		s.finish(w, so.done)
	}
}

func (s *setSim) invoke(w int, final bool) {
	op := Op{Kind: KindList, Set: "s", Final: final}
	if cur := s.cursor[w]; cur != nil {
		op.Listing = cur.listing
	} else if r := s.rng.IntN(10); !final && r < 5 {
		s.n++
		op = Op{Kind: KindAdd, Set: "s", Key: fmt.Sprintf("e%03d", s.n)}
	} else if !final && r < 7 && len(s.added) > 0 {
		op = Op{Kind: KindRemove, Set: "s", Key: s.added[s.rng.IntN(len(s.added))]}
	}
	fate := OK
	if p := s.rng.Float64(); !final && p < s.c.pUnknown {
		fate = Unknown
	} else if !final && p < s.c.pUnknown+s.c.pFail {
		fate = Fail
	}
	id := s.rec.Invoke(w, op)
	if op.Kind == KindList && s.cursor[w] == nil {
		s.cursor[w] = &listCursor{listing: id, size: 1 + s.rng.IntN(3)}
	}
	s.inflight[w] = &simOp{id: id, op: op, fate: fate, done: Completion{Outcome: fate}}
}

func (s *setSim) apply(w int, so *simOp) {
	so.applied = true
	switch so.op.Kind {
	case KindAdd:
		s.elems[so.op.Key] = true
		s.added = append(s.added, so.op.Key)
	case KindRemove:
		delete(s.elems, so.op.Key)
	default:
		so.done.Observed, so.done.More = s.page(s.cursor[w])
	}
}

// page returns up to cur.size elements after the cursor, in order.
func (s *setSim) page(cur *listCursor) ([]string, bool) {
	var all []string
	for e := range s.elems {
		if e > cur.after {
			all = append(all, e)
		}
	}
	sort.Strings(all)
	if len(all) <= cur.size {
		return all, false
	}
	cur.after = all[cur.size-1]
	return all[:cur.size], true
}

func (s *setSim) finish(w int, c Completion) {
	so := s.inflight[w]
	s.rec.Complete(so.id, c)
	delete(s.inflight, w)
	if so.op.Kind == KindList && (c.Outcome != OK || !c.More) {
		delete(s.cursor, w)
	}
}
