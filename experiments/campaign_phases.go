package experiments

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gogarage/garage/checker"
	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/node/table"
)

// finalRetry is the pause between two attempts of a final read.
const finalRetry = time.Second

func (sc Scenario) think() time.Duration {
	if sc.WorkloadName == WorkloadSet {
		return sc.Set.Think
	}
	return sc.RegisterConfig.Workload.Think
}

func (sc Scenario) opsPerClient() int {
	if sc.WorkloadName == WorkloadSet {
		return sc.Set.OpsPerClient
	}
	return sc.RegisterConfig.Workload.OpsPerClient
}

func (r *scenarioRun) clients() int {
	if r.sc.WorkloadName == WorkloadSet {
		return r.sc.Set.Clients
	}
	return r.sc.RegisterConfig.Workload.Clients
}

// storeOf returns the current incarnation's store of node i.
func (r *scenarioRun) storeOf(i int) func() *table.Store {
	return func() *table.Store { return r.stores[i] }
}

// setOf returns the set store of node i: the generic table's, or the
// register-backed one.
func (r *scenarioRun) setOf(i int) func() SetStore {
	var s SetStore = &registerSet{store: r.storeOf(i), space: r.sc.Set.Elements()}
	if r.tabs != nil {
		s = &tableSet{t: func() *table.Table[setRow] { return r.tabs[i] }, clock: r.w.Env(r.ids[i]).Clock}
	}
	return func() SetStore { return s }
}

// startClients starts the workload's clients as world tasks, client c
// talking to node c mod n, and returns the count of finished clients.
func (r *scenarioRun) startClients() *int {
	done := new(int)
	for c := range r.clients() {
		node := c % len(r.ids)
		rnd := r.w.Rand(fmt.Sprintf("client-%d", c))
		env := r.w.Env(r.ids[node])
		r.w.Go(fmt.Sprintf("client-%d", c), func(ctx context.Context) {
			defer func() { *done++ }()
			if r.sc.WorkloadName == WorkloadSet {
				r.sc.Set.runClient(ctx, c, env, rnd, r.setOf(node), r.h)
				return
			}
			r.sc.RegisterConfig.Workload.runClient(ctx, c, env, rnd, r.storeOf(node), r.h)
		})
	}
	return done
}

// startFinal starts the final reads (every register key, or one complete
// listing of the set), retried until they succeed, and returns a flag set
// when all are done.
func (r *scenarioRun) startFinal() *bool {
	done, left := new(bool), 0
	finish := func() {
		if left--; left == 0 {
			*done = true
		}
	}
	worker := r.clients()
	if r.sc.WorkloadName == WorkloadSet {
		left = 1
		r.goFinal(worker, func(ctx context.Context, env rt.Env) bool {
			return r.sc.Set.list(ctx, worker, env, r.setOf(worker%len(r.ids)), r.h, true)
		}, finish)
		return done
	}
	for k := range r.sc.RegisterConfig.Workload.Keys {
		left++
		id, key := worker+k, fmt.Sprintf("k%d", k)
		r.goFinal(id, func(ctx context.Context, env rt.Env) bool {
			return r.finalGet(ctx, id, env, r.stores[id%len(r.ids)], key)
		}, finish)
	}
	return done
}

// goFinal runs attempt in a world task until it succeeds or ctx ends.
func (r *scenarioRun) goFinal(id int, attempt func(context.Context, rt.Env) bool, finish func()) {
	r.w.Go(fmt.Sprintf("final-%d", id), func(ctx context.Context) {
		defer finish()
		env := r.w.Env(r.ids[id%len(r.ids)])
		for !attempt(ctx, env) {
			if r.w.Sleep(ctx, finalRetry) != nil {
				return
			}
		}
	})
}

// finalGet reads key once as a final read and reports whether it succeeded.
func (r *scenarioRun) finalGet(ctx context.Context, id int, env rt.Env, s *table.Store, key string) bool {
	oid := r.h.Rec.Invoke(id, checker.Op{Kind: checker.KindGet, Key: key, Final: true})
	o := Op{ID: oid, Client: id, Kind: "get", Key: key, Start: env.Clock.Mono()}
	octx, cancel := env.Tasks.WithTimeout(ctx, 10*time.Second)
	reg, err := s.Get(octx, key)
	cancel()
	if err == nil && !reg.Deleted && reg.Value != nil {
		o.Value = string(reg.Value)
	}
	o.End, o.OK = env.Clock.Mono(), err == nil
	r.h.Rec.Complete(oid, completion(o, err))
	r.h.add(o)
	return o.OK
}

// keys returns the register keys of the run's workload, as stored.
func (r *scenarioRun) keys() []string {
	if r.sc.WorkloadName == WorkloadSet {
		var ks []string
		for _, e := range r.sc.Set.Elements() {
			ks = append(ks, r.sc.Set.setName()+"/"+e)
		}
		return ks
	}
	ks := make([]string, r.sc.RegisterConfig.Workload.Keys)
	for k := range ks {
		ks[k] = fmt.Sprintf("k%d", k)
	}
	return ks
}

// digests reads, in a world task, each replica's copy of every key: the
// "partition" of the convergence check is the key, its "root" the
// encoding of the replica's copy.
func (r *scenarioRun) digests() (checker.Digests, error) {
	d := checker.Digests{}
	var firstErr error
	done := false
	r.w.Go("digests", func(context.Context) {
		defer func() { done = true }()
		replicasOf := r.placement()
		for _, key := range r.keys() {
			for _, id := range replicasOf(key) {
				b, err := r.localCopy(id, key)
				if err != nil && firstErr == nil {
					firstErr = fmt.Errorf("digest of %s on %s: %w", key, id, err)
				}
				if d[string(id)] == nil {
					d[string(id)] = map[string][]byte{}
				}
				d[string(id)][key] = b
			}
		}
	})
	if err := r.w.RunUntil(func() bool { return done }, time.Second); err != nil {
		return nil, err
	}
	return d, firstErr
}

// placement returns where keys live now: the register ring's replicas, or
// the set table's partition nodes (one Sharding snapshot for all keys).
func (r *scenarioRun) placement() func(key string) []rt.NodeID {
	if r.tabs == nil {
		ring := &table.Ring{Nodes: r.ids, RF: r.sc.RF, Mode: r.sc.Mode}
		return func(key string) []rt.NodeID { return ring.ReadNodes([]byte(key)) }
	}
	sh := r.st.For("").Sharding()
	return func(key string) []rt.NodeID {
		set, _, _ := strings.Cut(key, "/")
		return sh.PartOf([32]byte(table.Key([]byte(set), nil))).Nodes()
	}
}

// localCopy encodes node id's copy of key.
func (r *scenarioRun) localCopy(id rt.NodeID, key string) ([]byte, error) {
	i := slices.Index(r.ids, id)
	if r.tabs == nil {
		reg, err := r.stores[i].Local(key)
		return reg.Encode(nil), err
	}
	set, elem, _ := strings.Cut(key, "/")
	row, _, err := r.tabs[i].LocalGet([]byte(set), []byte(elem))
	return row.Encode(nil), err
}
