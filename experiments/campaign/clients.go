package campaign

import (
	"context"
	"fmt"
	"time"

	"github.com/gogarage/garage/checker"
	"github.com/gogarage/garage/experiments/simcluster"
	"github.com/gogarage/garage/experiments/workload"
)

// finalRetry is the pause between two attempts of a final read.
const finalRetry = time.Second

// env returns the client environment of a client of node i.
func (r *run) env(i int) workload.Env {
	return workload.Env{Clock: r.w.Env(r.c.IDs[i]).Clock, Tasks: r.w.Tasks()}
}

// client returns the client of node i: direct calls to its current
// incarnation.
func (r *run) client(i int) workload.Node { return workload.Node{N: r.c.NodeFunc(i)} }

// startClients starts the workload's clients as world tasks, client c
// talking to node c mod n, and returns the count of finished clients.
func (r *run) startClients() *int {
	done := new(int)
	for c := range r.sc.clients() {
		i := c % len(r.c.IDs)
		rnd := r.w.Rand(fmt.Sprintf("client-%d", c))
		r.w.Go(fmt.Sprintf("client-%d", c), func(ctx context.Context) {
			defer func() { *done++ }()
			if r.sc.isSet() {
				r.sc.Set.RunClient(ctx, c, r.env(i), rnd, r.set(i), r.h)
				return
			}
			r.sc.Register.RunClient(ctx, c, r.env(i), rnd, r.registers(i), r.h)
		})
	}
	return done
}

// startFinal starts the final reads (every register key, or one complete
// listing of the set), each retried until it succeeds, and returns a flag
// set when all are done.
func (r *run) startFinal() *bool {
	done, left := new(bool), 0
	finish := func() {
		if left--; left == 0 {
			*done = true
		}
	}
	worker := r.sc.clients()
	if r.sc.isSet() {
		left = 1
		r.goFinal(worker, func(ctx context.Context, i int) bool {
			return r.sc.Set.List(ctx, worker, r.env(i), r.set(i), r.h, true)
		}, finish)
		return done
	}
	for k := range max(r.sc.Register.Keys, 1) {
		left++
		id := worker + k
		r.goFinal(id, func(ctx context.Context, i int) bool {
			return r.sc.Register.FinalGet(ctx, id, r.env(i), r.registers(i), r.h, workload.KeyName(k))
		}, finish)
	}
	return done
}

// goFinal runs attempt (through node id mod n) in a world task until it
// succeeds or ctx ends. The S3 workloads try the next node after each
// failure: a node outside the layout holds no copy of the access keys
// and buckets (fully replicated to the layout's nodes only), so, as a
// real client would, they go elsewhere.
func (r *run) goFinal(id int, attempt func(ctx context.Context, i int) bool, finish func()) {
	r.w.Go(fmt.Sprintf("final-%d", id), func(ctx context.Context) {
		defer finish()
		for try := 0; !attempt(ctx, r.finalNode(id, try)); try++ {
			if r.w.Sleep(ctx, finalRetry) != nil {
				return
			}
		}
	})
}

// finalNode is the node of a final read's try.
func (r *run) finalNode(id, try int) int {
	if r.sc.onObjects() {
		return (id + try) % len(r.c.IDs)
	}
	return id % len(r.c.IDs)
}

// keys returns the registers of the run's workload.
func (r *run) keys() []simcluster.Key {
	if r.sc.isSet() {
		var ks []simcluster.Key
		for _, e := range r.sc.Set.Elements() {
			ks = append(ks, simcluster.Key{PK: r.sc.Set.Name(), SK: e})
		}
		return ks
	}
	ks := make([]simcluster.Key, max(r.sc.Register.Keys, 1))
	for k := range ks {
		ks[k] = simcluster.Key{PK: workload.KeyName(k)}
	}
	return ks
}

// digests reads each replica's copy of every key of the workload: rows
// of the debug table, or of the object table for the S3 workloads.
func (r *run) digests() (checker.Digests, error) {
	if !r.sc.onObjects() {
		return r.c.Digests(r.keys())
	}
	var d checker.Digests
	var firstErr error
	done := false
	r.w.Go("digests", func(context.Context) {
		defer func() { done = true }()
		if first := r.c.FirstUp(); first >= 0 {
			d, firstErr = r.c.ObjectCopies(first, s3Bucket, r.objectKeys())
		} else {
			firstErr = fmt.Errorf("no node up to read the layout from")
		}
	})
	if err := r.w.RunUntil(func() bool { return done }, time.Second); err != nil {
		return nil, err
	}
	return d, firstErr
}

// objectKeys are the object keys of the workload's keys.
func (r *run) objectKeys() []string {
	var keys []string
	for _, k := range r.keys() {
		keys = append(keys, k.String())
	}
	return keys
}
