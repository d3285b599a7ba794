package garage

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gogarage/garage/node/block"
	"github.com/gogarage/garage/node/table"
)

// Workers returns the node's background workers, in a fixed order: per
// table its Merkle updater, anti-entropy, tombstone GC and insert queue;
// the block manager's resync and scrub; the object service's abort and
// repair workers; then the repairs launched since the node started.
func (n *Node) Workers() ([]WorkerInfo, error) {
	var out []WorkerInfo
	for _, t := range n.tables() {
		ws, err := n.tableWorkers(t)
		if err != nil {
			return nil, err
		}
		out = append(out, ws...)
	}
	bs, err := n.blockWorkers()
	if err != nil {
		return nil, err
	}
	out = append(out, bs...)
	obj, err := n.objectWorkers()
	if err != nil {
		return nil, err
	}
	out = append(append(out, obj...), n.jobs.workers()...)
	for i := range out {
		out[i].ID = i + 1
	}
	return out, nil
}

// WorkerList returns the workers that req's filters keep.
func (n *Node) WorkerList(req WorkerListRequest) (WorkerListReply, error) {
	all, err := n.Workers()
	rep := WorkerListReply{Workers: []WorkerInfo{}}
	for _, w := range all {
		if (!req.Busy || w.State == WorkerBusy) && (!req.Errors || w.Errors > 0) {
			rep.Workers = append(rep.Workers, w)
		}
	}
	return rep, err
}

// WorkerInfo returns the worker whose id (as `worker list` numbers them)
// or name (case-insensitive) is name.
func (n *Node) WorkerInfo(name string) (WorkerInfo, error) {
	all, err := n.Workers()
	if err != nil {
		return WorkerInfo{}, err
	}
	for _, w := range all {
		if strconv.Itoa(w.ID) == name || strings.EqualFold(w.Name, name) {
			return w, nil
		}
	}
	return WorkerInfo{}, fmt.Errorf("worker %q: %w (see garage worker list)", name, ErrUnknownWorker)
}

// tableWorkers describes the four workers of table t.
func (n *Node) tableWorkers(t nodeTable) ([]WorkerInfo, error) {
	st, err := tableStats(t, false)
	if err != nil {
		return nil, err
	}
	w := t.Workers()
	return []WorkerInfo{
		n.tableWorker(t.Name()+" Merkle", w.Merkle, &st.MerkleTodo),
		n.tableWorker(t.Name()+" sync", w.Sync, nil),
		n.tableWorker(t.Name()+" GC", w.GC, &st.GCTodo),
		n.tableWorker(t.Name()+" queue", w.Queue, &st.InsertQueue),
	}, nil
}

// tableWorker describes one table worker: busy while a round runs, or
// while its queue holds work (tombstones wait for their delay: GC is
// busy only in a round).
func (n *Node) tableWorker(name string, s table.WorkerStats, queue *int) WorkerInfo {
	w := WorkerInfo{Name: name, State: WorkerIdle, Done: s.Done, Queue: queue, Errors: s.Errors,
		Consecutive: s.Consecutive, LastError: s.LastError}
	if s.Busy || (queue != nil && *queue > 0 && !strings.HasSuffix(name, " GC")) {
		w.State = WorkerBusy
	}
	if s.Done+s.Errors > 0 {
		ago := max(n.env.Clock.Mono()-s.LastEnd, 0)
		w.LastAgo = &ago
	}
	return w
}

// blockWorkers describes the resync workers and the scrub.
func (n *Node) blockWorkers() ([]WorkerInfo, error) {
	if n.block == nil {
		return nil, nil
	}
	wi := n.block.Workers()
	q, err := n.block.QueueLen()
	if err != nil {
		return nil, err
	}
	errs, err := n.block.Errors()
	if err != nil {
		return nil, err
	}
	st := wi.Stats
	resync := WorkerInfo{Name: "Block resync", State: busyIf(q > 0), Tranquility: &wi.ResyncTranquility,
		Done: st.ResyncDone, Queue: &q, Errors: st.ResyncErrors, Consecutive: uint64(len(errs)),
		Info: []string{
			fmt.Sprintf("resync workers: %d", wi.ResyncWorkers),
			fmt.Sprintf("blocks whose resync keeps failing: %d (garage block list-errors)", len(errs)),
			fmt.Sprintf("blocks written: %d (%d bytes), fetched from replicas: %d, offloaded: %d, deleted: %d, corrupt found: %d",
				st.BlocksWritten, st.BytesWritten, st.Fetched, st.Offloaded, st.Deleted, st.Corrupt),
			fmt.Sprintf("write buffer: %d bytes in use, %d writers waiting", wi.BufferUsed, wi.BufferWaiters),
		}}
	return []WorkerInfo{resync, scrubWorker(wi.Scrub)}, nil
}

func busyIf(b bool) string {
	if b {
		return WorkerBusy
	}
	return WorkerIdle
}

// scrubWorker describes the scrub from its state.
func scrubWorker(s block.ScrubInfo) WorkerInfo {
	w := WorkerInfo{Name: "Block scrub", State: busyIf(s.Running), Tranquility: &s.Tranquility, Done: s.Checked,
		Errors: s.Corrupt + s.Missing, Info: []string{scrubProgress(s)}}
	if s.Running && s.Paused {
		w.State = WorkerPaused
	}
	if !s.LastDone.IsZero() {
		w.Info = append(w.Info, "last pass finished: "+s.LastDone.Format(time.RFC3339))
	}
	if !s.NextRun.IsZero() {
		w.Info = append(w.Info, "next pass: "+s.NextRun.Format(time.RFC3339))
	}
	return w
}

// scrubProgress says where the scrub is.
func scrubProgress(s block.ScrubInfo) string {
	what := "last pass"
	if s.Running {
		what = fmt.Sprintf("pass in data directory %d", s.Dir)
	}
	return fmt.Sprintf("%s: %d files checked, %d corrupt, %d referenced blocks missing", what, s.Checked, s.Corrupt, s.Missing)
}

// objectWorkers describes the object service's workers.
func (n *Node) objectWorkers() ([]WorkerInfo, error) {
	stale, err := n.objects.StaleUploads()
	if err != nil {
		return nil, err
	}
	repairs, err := n.objects.Repairs()
	if err != nil {
		return nil, err
	}
	return []WorkerInfo{
		{Name: "Object abort", State: busyIf(stale > 0), Queue: &stale,
			Info: []string{"aborts uploads whose coordinator vanished, once past the upload timeout"}},
		{Name: "Object repair", State: busyIf(repairs > 0), Queue: &repairs,
			Info: []string{"resyncs the blocks that reads found missing"}},
	}, nil
}
