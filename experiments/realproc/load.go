package experiments

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/gogarage/garage/checker"
	"github.com/gogarage/garage/node/daemon"
	"github.com/gogarage/garage/node/garage"
)

// errorPause is how long a real client waits after a failed operation, so
// that a client of a dead node does not spin.
const errorPause = 100 * time.Millisecond

// realLoad runs the register workload against a procCluster through
// daemon clients, one node per client, and the kill nemesis beside it.
type realLoad struct {
	c  *procCluster
	o  RealClusterOptions
	h  *History
	t0 time.Time

	mu              sync.Mutex
	kills, restarts int
}

// nextOp draws a client's n-th operation the way RegisterWorkload does:
// a random key, a read, a delete or a put of a unique value.
func (wl RegisterWorkload) nextOp(id, n int, rnd *rand.Rand) Op {
	o := Op{Client: id, Key: fmt.Sprintf("k%d", rnd.IntN(max(wl.Keys, 1)))}
	switch x := rnd.Float64(); {
	case x < wl.ReadFrac:
		o.Kind = "get"
	case x < wl.ReadFrac+wl.DeleteFrac:
		o.Kind = "delete"
	default:
		o.Kind, o.Value = "put", padValue(fmt.Sprintf("c%d-%d", id, n), wl.ValueSize)
	}
	return o
}

// run runs every client and the nemesis until the clients are done or ctx
// ends; the nemesis stops with the clients.
func (l *realLoad) run(ctx context.Context) error {
	clients := make([]*daemon.Client, l.o.Workload.Clients)
	for i := range clients {
		cl, err := l.c.client(i%len(l.c.procs), l.o.Workload.OpTimeout)
		if err != nil {
			return err
		}
		defer cl.Close()
		clients[i] = cl
	}
	nctx, stopNemesis := context.WithCancel(ctx)
	var nem sync.WaitGroup
	nem.Go(func() { l.nemesis(nctx, rand.New(rand.NewPCG(l.o.Seed, 1<<32))) })
	var wg sync.WaitGroup
	for i, cl := range clients {
		wg.Go(func() { l.client(ctx, i, cl, rand.New(rand.NewPCG(l.o.Seed, uint64(i)))) })
	}
	wg.Wait()
	stopNemesis()
	nem.Wait()
	return nil
}

// client is one closed-loop client of the register workload.
func (l *realLoad) client(ctx context.Context, id int, cl *daemon.Client, rnd *rand.Rand) {
	wl := l.o.Workload
	for n := range wl.OpsPerClient {
		if ctx.Err() != nil {
			return
		}
		o := l.do(ctx, cl, wl.nextOp(id, n, rnd))
		l.h.add(o)
		pause := wl.Think
		if !o.OK {
			pause = max(pause, errorPause)
		}
		sleepCtx(ctx, pause)
	}
}

// do performs o through cl and records it: failed writes are unknown,
// failed reads fail (see completion).
func (l *realLoad) do(ctx context.Context, cl *daemon.Client, o Op) Op {
	o.ID = l.h.Rec.Invoke(o.Client, checker.Op{Kind: checker.Kind(o.Kind), Key: o.Key, Value: o.Value})
	o.Start = time.Since(l.t0)
	var err error
	switch o.Kind {
	case "get":
		var r garage.KVReply
		if r, err = cl.Get(ctx, o.Key, ""); err == nil && r.Found {
			o.Value = string(r.Value)
		}
	case "put":
		o.TS, err = cl.Put(ctx, o.Key, "", []byte(o.Value))
	case "delete":
		o.TS, err = cl.Delete(ctx, o.Key, "")
	}
	o.End = time.Since(l.t0)
	o.OK = err == nil
	l.h.Rec.Complete(o.ID, completion(o, err))
	if err != nil {
		o.Err = err.Error()
	}
	return o
}

// nemesis kills a random running node with SIGKILL every KillEvery and
// restarts it Down later, up to Kills times, recording both events. A
// killed node is always restarted, even once ctx ends.
func (l *realLoad) nemesis(ctx context.Context, rnd *rand.Rand) {
	for range l.o.Kills {
		if sleepCtx(ctx, l.o.KillEvery) != nil {
			return
		}
		p := l.c.procs[rnd.IntN(len(l.c.procs))]
		p.kill()
		l.h.Rec.Nemesis("kill", p.name+" SIGKILL")
		l.count(&l.kills)
		sleepCtx(ctx, l.o.Down)
		if err := p.start(); err != nil {
			l.h.Rec.Nemesis("restart-failed", p.name+": "+err.Error())
			continue
		}
		l.h.Rec.Nemesis("restart", p.name)
		l.count(&l.restarts)
	}
}

func (l *realLoad) count(n *int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	*n++
}

// finalReads reads every key through node 1 once the cluster has healed,
// retrying a read that fails (each attempt is an operation of its own).
func (l *realLoad) finalReads(ctx context.Context) error {
	cl, err := l.c.client(0, l.o.Workload.OpTimeout)
	if err != nil {
		return err
	}
	defer cl.Close()
	worker := l.o.Workload.Clients // a worker of its own
	for k := range max(l.o.Workload.Keys, 1) {
		for attempt := 0; ; attempt++ {
			o := l.do(ctx, cl, Op{Client: worker, Kind: "get", Key: fmt.Sprintf("k%d", k)})
			l.h.add(o)
			if o.OK || attempt >= 4 || ctx.Err() != nil {
				break
			}
			sleepCtx(ctx, time.Second)
		}
	}
	return nil
}

// sleepCtx sleeps d or until ctx ends, returning ctx's error in that case.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
