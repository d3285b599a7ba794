package lab

import (
	"context"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"time"

	"github.com/gogarage/garage/checker"
	"github.com/gogarage/garage/experiments/endpoint"
	"github.com/gogarage/garage/experiments/workload"
	"github.com/gogarage/garage/node/host"
	"github.com/gogarage/garage/node/rt"
)

// Load is steady client traffic for experiments that change the cluster
// under it (a zone down, a layout change): closed-loop register clients,
// one per node of Nodes, reading, writing and removing small objects of
// the cluster's bucket with S3 requests, every operation recorded for the
// checker and for latency over time.
type Load struct {
	Workload workload.RegisterWorkload // Keys, Think, fractions, OpTimeout, ErrorPause
	// Prefix starts every object key (see Session.Prefix).
	Prefix string
	Nodes  []int // the nodes the clients attach to
	H      *workload.History
}

// regs returns the registers of the load through node i of c.
func (l *Load) regs(c Cluster, i int) endpoint.Registers {
	return endpoint.Registers{C: c.Client(i), Bucket: c.Bucket(), Prefix: l.Prefix}
}

// NewLoad returns a load of the default steady workload on the objects
// under prefix, through nodes: 8 objects of 256 bytes (stored inline),
// half reads, 10 % removes, 50 ms think time, requests bounded by 5 s, a
// pause of 100 ms after a failure.
func NewLoad(prefix string, nodes []int, meta map[string]string) *Load {
	wl := workload.RegisterWorkload{Keys: 8, Think: 50 * time.Millisecond, ReadFrac: 0.5, DeleteFrac: 0.1,
		ValueSize: 256, OpTimeout: 5 * time.Second, ErrorPause: 100 * time.Millisecond}
	return &Load{Workload: wl, Prefix: prefix, Nodes: nodes, H: workload.NewHistory(meta)}
}

// Clients returns one task per client for Cluster.Run, each running until
// the clients' monotonic clock reaches end.
func (l *Load) Clients(c Cluster, seed uint64, end time.Duration) []func(context.Context) {
	var fns []func(context.Context)
	for id, i := range l.Nodes {
		regs := l.regs(c, i)
		rnd := Rand(c, seed, fmt.Sprintf("load-client-%d", id))
		fns = append(fns, func(ctx context.Context) {
			l.Workload.RunUntil(ctx, id, c.Env(), rnd, regs, l.H, end)
		})
	}
	return fns
}

// Prefill returns a task that puts every object once through node i (a
// worker of its own), so that there is data before the load starts; the
// puts are recorded like the load's.
func (l *Load) Prefill(c Cluster, i int) func(context.Context) {
	regs := l.regs(c, i)
	worker := len(l.Nodes) + 1
	return func(ctx context.Context) {
		for k := range max(l.Workload.Keys, 1) {
			o := workload.Op{Client: worker, Kind: "put", Key: workload.KeyName(k), Value: fmt.Sprintf("prefill-%d", k)}
			l.Workload.Do(ctx, c.Env(), regs, l.H, o)
		}
	}
}

// Final returns a task that reads every object once more through node i
// (a worker of its own), retrying a failed read every second until ctx
// ends: the final reads the durability check needs.
func (l *Load) Final(c Cluster, i int) func(context.Context) {
	regs := l.regs(c, i)
	worker := len(l.Nodes)
	return func(ctx context.Context) {
		for k := range max(l.Workload.Keys, 1) {
			for !l.Workload.FinalGet(ctx, worker, c.Env(), regs, l.H, workload.KeyName(k)) {
				if ctx.Err() != nil || c.Env().Clock.Sleep(ctx, time.Second) != nil {
					return
				}
			}
		}
	}
}

// ObjectKeys are the object keys of the load's registers, for
// SimCluster.ObjectCopies.
func (l *Load) ObjectKeys() []string {
	ks := make([]string, max(l.Workload.Keys, 1))
	for k := range ks {
		ks[k] = l.Prefix + workload.KeyName(k)
	}
	return ks
}

// Check judges the history with every check of the checker.
func (l *Load) Check() ([]checker.Result, error) {
	return checker.CheckAll(l.H.Rec.History(), checker.Options{})
}

// Rand returns the random stream named stream of a run: the world's in the
// simulator, one seeded by (seed, stream) elsewhere.
func Rand(c Cluster, seed uint64, stream string) rt.Rand {
	if sc, ok := c.(*SimCluster); ok {
		return sc.W.Rand(stream)
	}
	h := fnv.New64a()
	h.Write([]byte(stream))
	var s [32]byte
	binary.BigEndian.PutUint64(s[:], seed)
	binary.BigEndian.PutUint64(s[8:], h.Sum64())
	return host.NewRandSeed(s)
}
