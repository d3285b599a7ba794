package latency

import (
	"context"
	"fmt"
	"time"

	"github.com/gogarage/garage/experiments/endpoint"
	"github.com/gogarage/garage/experiments/lab"
	"github.com/gogarage/garage/experiments/workload"
)

// Measurement is what Measure observed through one node.
type Measurement struct {
	Ops   []workload.Op     // every request, in order
	Stats []workload.Stats  // per endpoint, in the order of endpoint.All
	API   map[string]string // what each endpoint is on the node
	Time  time.Duration     // on the cluster's clock
}

// Stat returns the statistics of endpoint n.
func (m Measurement) Stat(n endpoint.Name) workload.Stats {
	for _, s := range m.Stats {
		if s.Kind == string(n) {
			return s
		}
	}
	return workload.Stats{Kind: string(n)}
}

// Measure runs r through the client of node client of c, in the
// cluster's bucket, calling each (if not nil) after every round.
func Measure(c lab.Cluster, client int, r endpoint.Rounds, each func()) (Measurement, error) {
	cl := c.Client(client)
	r.Bucket = c.Bucket()
	var ops []workload.Op
	start := c.Elapsed()
	limit := time.Duration(r.N+r.Objects+1) * time.Duration(len(endpoint.All())) * 15 * time.Second
	err := c.Run(limit, func(ctx context.Context) { ops = r.Run(ctx, 0, c.Env(), cl, each) })
	m := Measurement{Ops: ops, API: map[string]string{}, Time: c.Elapsed() - start,
		Stats: workload.Summarise(ops, endpoint.Strings(endpoint.All())...)}
	for _, n := range endpoint.All() {
		m.API[string(n)] = cl.API(n)
	}
	if err != nil {
		return m, fmt.Errorf("measure through node %d: %w", client, err)
	}
	return m, nil
}

// FirstError returns the error of the first failed request ("" if none
// failed).
func (m Measurement) FirstError() string {
	for _, o := range m.Ops {
		if !o.OK {
			return o.Kind + ": " + o.Err
		}
	}
	return ""
}

// FirstStorage returns the index of the first node with a role: the
// node the client is attached to.
func FirstStorage(c lab.Cluster) int {
	for i, n := range c.Nodes() {
		if !n.Spare {
			return i
		}
	}
	return 0
}
