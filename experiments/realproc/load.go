package realproc

import (
	"context"
	"encoding/binary"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/gogarage/garage/experiments/workload"
	"github.com/gogarage/garage/node/daemon"
	"github.com/gogarage/garage/node/host"
)

// realLoad runs the register workload against a procCluster through
// daemon clients, one node per client, and the kill nemesis beside it.
type realLoad struct {
	c   *procCluster
	o   Options
	h   *workload.History
	env workload.Env
	t0  time.Time

	mu              sync.Mutex
	kills, restarts int
}

// newLoad prepares the load of o on c, recorded in h, with real time.
func newLoad(ctx context.Context, c *procCluster, o Options, h *workload.History) *realLoad {
	return &realLoad{c: c, o: o, h: h, t0: time.Now(),
		env: workload.Env{Clock: host.NewClock(), Tasks: host.NewTasks(ctx)}}
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
		wg.Go(func() {
			l.o.Workload.RunClient(ctx, i, l.env, seeded(l.o.Seed, uint64(i)), workload.Admin{A: cl.Admin}, l.h)
		})
	}
	wg.Wait()
	stopNemesis()
	nem.Wait()
	return nil
}

// seeded returns a random stream for client i of the run's seed.
func seeded(seed, i uint64) *host.Rand {
	var s [32]byte
	binary.BigEndian.PutUint64(s[:], seed)
	binary.BigEndian.PutUint64(s[8:], i)
	return host.NewRandSeed(s)
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
	regs := workload.Admin{A: cl.Admin}
	for k := range max(l.o.Workload.Keys, 1) {
		for attempt := 0; ; attempt++ {
			ok := l.o.Workload.FinalGet(ctx, worker, l.env, regs, l.h, workload.KeyName(k))
			if ok || attempt >= 4 || ctx.Err() != nil {
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
