package table

import (
	"context"
	"fmt"
	"slices"

	"github.com/gogarage/garage/node/rt"
)

// Get reads key from a read quorum and returns the newest version (the zero
// Register if the key was never written). Replicas found stale are repaired
// in the background once every replica has answered.
func (s *Store) Get(ctx context.Context, key string) (Register, error) {
	nodes, err := readNodes(s.repl, []byte(key))
	if err != nil {
		return Register{}, fmt.Errorf("get %q: %w", key, err)
	}
	nodes = selfLast(nodes, s.env.ID)
	req := []byte(key)
	res, err := rt.QuorumStart(ctx, s.env.Tasks, len(nodes), s.repl.ReadQuorum(),
		func(i int, done func(Register, error)) { s.fetch(nodes[i], req, done) },
		func(all []rt.Result[Register]) { s.repair(key, nodes, all) })
	if err != nil {
		return Register{}, fmt.Errorf("get %q: %w", key, err)
	}
	return newest(res), nil
}

// Put writes value under key and returns the timestamp it was given.
func (s *Store) Put(ctx context.Context, key string, value []byte) (uint64, error) {
	if value == nil {
		value = []byte{}
	}
	return s.write(ctx, key, Register{Value: value})
}

// Delete writes a tombstone for key and returns its timestamp.
func (s *Store) Delete(ctx context.Context, key string) (uint64, error) {
	return s.write(ctx, key, Register{Deleted: true})
}

func (s *Store) write(ctx context.Context, key string, r Register) (uint64, error) {
	ts, err := s.timestamp(ctx, key)
	if err != nil {
		return 0, fmt.Errorf("write %q: %w", key, err)
	}
	r.TS = ts
	if err := s.replicate(ctx, key, r); err != nil {
		return 0, fmt.Errorf("write %q: %w", key, err)
	}
	return ts, nil
}

// timestamp chooses max(now, newest existing + 1), reading the newest
// version from a read quorum (Garage's rule for new versions).
func (s *Store) timestamp(ctx context.Context, key string) (uint64, error) {
	now := uint64(s.env.Clock.Now().UnixMilli())
	if s.opts.NaiveTimestamps {
		return now, nil
	}
	cur, err := s.Get(ctx, key)
	if err != nil {
		return 0, err
	}
	return NextTimestamp(now, cur.TS), nil
}

// replicate sends r to every node of every write set, once per node, and
// waits for a write quorum in each set.
func (s *Store) replicate(ctx context.Context, key string, r Register) error {
	defer guard(s.repl)()
	ws, err := writeSets(s.repl, []byte(key))
	if err != nil {
		return err
	}
	nodes, sets := indexWriteSets(ws)
	moveLast(nodes, sets, s.env.ID)
	req := encodePut(key, r)
	return waitSetsStart(ctx, s.env.Tasks, len(nodes), sets, s.repl.WriteQuorum(),
		func(i int, done func(error)) {
			rt.StartCall(s.env.Tasks, s.env.Net, nodes[i], EndpointPut, req, s.callOpts(),
				func(_ []byte, err error) { done(err) })
		})
}

// fetch starts a read of the key encoded in req from node to; done gets the
// decoded register.
func (s *Store) fetch(to rt.NodeID, req []byte, done func(Register, error)) {
	rt.StartCall(s.env.Tasks, s.env.Net, to, EndpointGet, req, s.callOpts(), func(rep []byte, err error) {
		if err != nil {
			done(Register{}, err)
			return
		}
		done(DecodeRegister(rep))
	})
}

func (s *Store) callOpts() rt.CallOpts {
	return rt.CallOpts{Timeout: s.opts.Timeout, Prio: rt.PrioNormal}
}

// repair sends the newest version to every replica that answered with an
// older one. It runs when the last replica answers: it starts its calls
// and waits for none.
func (s *Store) repair(key string, nodes []rt.NodeID, all []rt.Result[Register]) {
	best := newest(all)
	var req []byte
	for _, res := range all {
		if res.Err != nil || !best.Newer(res.Val) {
			continue
		}
		if req == nil {
			req = encodePut(key, best)
		}
		to := nodes[res.Index]
		rt.StartCall(s.env.Tasks, s.env.Net, to, EndpointPut, req, s.callOpts(), func(_ []byte, err error) {
			if err != nil {
				s.env.Log.Debug("read repair failed", "key", key, "to", to, "err", err)
			}
		})
	}
}

// selfLast returns nodes with self moved to the end, copying them if it
// must move: a call to the node itself may run inline and block, so it
// goes after the calls that leave at once.
func selfLast(nodes []rt.NodeID, self rt.NodeID) []rt.NodeID {
	i := slices.Index(nodes, self)
	if i < 0 || i == len(nodes)-1 {
		return nodes
	}
	out := make([]rt.NodeID, 0, len(nodes))
	out = append(append(out, nodes[:i]...), nodes[i+1:]...)
	return append(out, self)
}

// moveLast swaps self, if it is one of nodes, with the last node, in nodes
// and in the index sets, for the reason given at selfLast.
func moveLast(nodes []rt.NodeID, sets [][]int, self rt.NodeID) {
	i, last := slices.Index(nodes, self), len(nodes)-1
	if i < 0 || i == last {
		return
	}
	nodes[i], nodes[last] = nodes[last], nodes[i]
	for _, set := range sets {
		for k, j := range set {
			switch j {
			case i:
				set[k] = last
			case last:
				set[k] = i
			}
		}
	}
}

func newest(rs []rt.Result[Register]) Register {
	var best Register
	for _, r := range rs {
		if r.Err == nil {
			best = Merge(best, r.Val)
		}
	}
	return best
}
