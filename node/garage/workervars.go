package garage

import (
	"fmt"
	"strconv"

	"github.com/gogarage/garage/node/block"
	"github.com/gogarage/garage/node/object"
	"github.com/gogarage/garage/node/rt"
)

// workerVarsTree keeps the values set by `worker set`, so that they
// survive a restart as in Garage: name -> decimal value.
const workerVarsTree = "garage/worker_vars"

// workerVar is a run-time setting of the block manager's workers.
type workerVar struct {
	name  string
	min   int
	get   func(w block.WorkerInfo) int
	apply func(m *block.Manager, v int) error
}

// workerVars returns Garage's settings of the resync and scrub workers.
func workerVars() []workerVar {
	return []workerVar{
		{"resync-worker-count", 1, func(w block.WorkerInfo) int { return w.ResyncWorkers },
			func(m *block.Manager, v int) error { return m.SetResyncWorkers(v) }},
		{"resync-tranquility", 0, func(w block.WorkerInfo) int { return w.ResyncTranquility },
			func(m *block.Manager, v int) error { m.SetResyncTranquility(v); return nil }},
		{"scrub-tranquility", 0, func(w block.WorkerInfo) int { return w.Scrub.Tranquility },
			func(m *block.Manager, v int) error { m.SetScrubTranquility(v); return nil }},
	}
}

func lookupVar(name string) (workerVar, error) {
	for _, v := range workerVars() {
		if v.name == name {
			return v, nil
		}
	}
	return workerVar{}, badRequest("unknown worker variable %q: want resync-worker-count, resync-tranquility or scrub-tranquility", name)
}

// WorkerVars returns the value of variable name, or of every variable if
// name is empty.
func (n *Node) WorkerVars(name string) ([]WorkerVar, error) {
	if n.block == nil {
		return nil, object.ErrNoBlockStorage
	}
	vars := workerVars()
	if name != "" {
		v, err := lookupVar(name)
		if err != nil {
			return nil, err
		}
		vars = []workerVar{v}
	}
	wi := n.block.Workers()
	out := make([]WorkerVar, len(vars))
	for i, v := range vars {
		out[i] = WorkerVar{Name: v.name, Value: strconv.Itoa(v.get(wi))}
	}
	return out, nil
}

// SetWorkerVar sets variable name to value now and for later starts of
// the node.
func (n *Node) SetWorkerVar(name, value string) (WorkerVar, error) {
	if n.block == nil {
		return WorkerVar{}, object.ErrNoBlockStorage
	}
	v, err := lookupVar(name)
	if err != nil {
		return WorkerVar{}, err
	}
	x, err := strconv.Atoi(value)
	if err != nil || x < v.min {
		return WorkerVar{}, badRequest("%s = %q: want an integer of at least %d", name, value, v.min)
	}
	if err := v.apply(n.block, x); err != nil {
		return WorkerVar{}, badRequest("%s = %d: %v", name, x, err)
	}
	err = n.env.KV.Update(func(tx rt.Tx) error { return tx.Put(workerVarsTree, []byte(name), []byte(strconv.Itoa(x))) })
	if err != nil {
		return WorkerVar{}, fmt.Errorf("save %s: %w", name, err)
	}
	return WorkerVar{Name: name, Value: strconv.Itoa(v.get(n.block.Workers()))}, nil
}

// loadWorkerVars applies the values saved by SetWorkerVar, at start.
// Values that no longer apply are logged and left out.
func (n *Node) loadWorkerVars() error {
	if n.block == nil {
		return nil
	}
	return n.env.KV.View(func(tx rt.ReadTx) error {
		return tx.Scan(workerVarsTree, nil, nil, false, func(k, val []byte) bool {
			v, err := lookupVar(string(k))
			x, perr := strconv.Atoi(string(val))
			if err == nil && perr == nil {
				err = v.apply(n.block, x)
			}
			if err != nil || perr != nil {
				n.env.Log.Warn("ignoring a saved worker setting", "name", string(k), "value", string(val), "err", err)
			}
			return true
		})
	})
}
