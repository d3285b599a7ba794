package cluster

import (
	"context"
	"strings"

	"github.com/gogarage/garage/node/rt"
)

// traffic counts the RPCs nodes send to other nodes, and their bytes
// (request and reply), split into the membership layer's (endpoints
// "cluster/...") and all.
type traffic struct {
	cluster, all           uint64
	clusterBytes, allBytes uint64
	byEndpoint             map[string]uint64
}

func newTraffic() *traffic { return &traffic{byEndpoint: map[string]uint64{}} }

func (t *traffic) reset() { *t = *newTraffic() }

func (t *traffic) call(endpoint string, size int) {
	t.all++
	t.byEndpoint[endpoint]++
	if strings.HasPrefix(endpoint, "cluster/") {
		t.cluster++
	}
	t.bytes(endpoint, size)
}

func (t *traffic) bytes(endpoint string, size int) {
	t.allBytes += uint64(size)
	if strings.HasPrefix(endpoint, "cluster/") {
		t.clusterBytes += uint64(size)
	}
}

// countingNet is a node's Net that counts what it sends to other nodes in
// a traffic shared by every node (the world runs one task at a time). It
// starts calls natively when the wrapped Net can, so wrapping changes no
// schedule.
type countingNet struct {
	rt.Net
	self rt.NodeID
	t    *traffic
}

var _ rt.Starter = countingNet{}

// counted wraps env's Net so that t counts its traffic.
func counted(env rt.Env, t *traffic) rt.Env {
	env.Net = countingNet{Net: env.Net, self: env.ID, t: t}
	return env
}

func (n countingNet) Call(ctx context.Context, to rt.NodeID, endpoint string, req []byte, opts rt.CallOpts) ([]byte, error) {
	if to == n.self {
		return n.Net.Call(ctx, to, endpoint, req, opts)
	}
	n.t.call(endpoint, len(req))
	rep, err := n.Net.Call(ctx, to, endpoint, req, opts)
	n.t.bytes(endpoint, len(rep))
	return rep, err
}

func (n countingNet) Start(to rt.NodeID, endpoint string, req []byte, opts rt.CallOpts, done func([]byte, error)) {
	if to != n.self {
		n.t.call(endpoint, len(req))
		inner := done
		done = func(rep []byte, err error) { n.t.bytes(endpoint, len(rep)); inner(rep, err) }
	}
	n.Net.(rt.Starter).Start(to, endpoint, req, opts, done)
}
