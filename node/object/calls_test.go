package object_test

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/sim"
)

// call is one RPC a node made: to whom, what, when it started (virtual
// time).
type call struct {
	from, to rt.NodeID
	endpoint string
	prio     rt.Priority
	start    time.Duration
}

// recorder records the RPCs of every node, through countingNet.
type recorder struct {
	mu    sync.Mutex
	world *sim.World
	calls []call
}

func (r *recorder) add(c call) {
	r.mu.Lock()
	r.calls = append(r.calls, c)
	r.mu.Unlock()
}

// wrap is a simcluster Net hook.
func (r *recorder) wrap(id rt.NodeID, n rt.Net) rt.Net { return &countingNet{Net: n, id: id, r: r} }

// since returns the calls node from started at or after t0, to other
// nodes, at normal priority: the work of requests, not the control
// traffic (pings, gossip) nor the background workers.
func (r *recorder) since(from rt.NodeID, t0 time.Duration) []call {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []call
	for _, c := range r.calls {
		if c.from == from && c.to != from && c.start >= t0 && c.prio == rt.PrioNormal {
			out = append(out, c)
		}
	}
	return out
}

// roundTrips counts the waves of calls: calls started within gap of the
// first call of a wave belong to it; a call started later (after some
// reply came back) begins the next one.
func roundTrips(cs []call, gap time.Duration) int {
	starts := make([]time.Duration, len(cs))
	for i, c := range cs {
		starts[i] = c.start
	}
	slices.Sort(starts)
	n, waveStart := 0, time.Duration(-1)
	for _, s := range starts {
		if waveStart < 0 || s-waveStart > gap {
			n, waveStart = n+1, s
		}
	}
	return n
}

// countingNet records the calls of one node.
type countingNet struct {
	rt.Net
	id rt.NodeID
	r  *recorder
}

// Call records the call as it starts.
func (n *countingNet) Call(ctx context.Context, to rt.NodeID, ep string, req []byte, o rt.CallOpts) ([]byte, error) {
	n.r.add(call{from: n.id, to: to, endpoint: ep, prio: o.Prio, start: n.r.world.Now()})
	return n.Net.Call(ctx, to, ep, req, o)
}

// Start records the call as it starts; the sim's Net is a Starter.
func (n *countingNet) Start(to rt.NodeID, ep string, req []byte, o rt.CallOpts, done func([]byte, error)) {
	n.r.add(call{from: n.id, to: to, endpoint: ep, prio: o.Prio, start: n.r.world.Now()})
	n.Net.(rt.Starter).Start(to, ep, req, o, done)
}

var _ rt.Starter = (*countingNet)(nil)
