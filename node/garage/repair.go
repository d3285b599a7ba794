package garage

import (
	"context"
	"fmt"
	"time"

	"github.com/gogarage/garage/node/object"
	"github.com/gogarage/garage/node/rt"
)

// Repair launches the repair req names on this node, or on every node it
// knows of (req.AllNodes), and returns at once with the state of each: a
// repair runs in the background (`garage worker list` shows it;
// RepairState follows it).
func (n *Node) Repair(ctx context.Context, req RepairRequest) (RepairReply, error) {
	if !req.AllNodes {
		st, err := n.repairLocal(req)
		return RepairReply{Nodes: []NodeRepair{{Node: n.ID(), Status: st}}}, err
	}
	if err := checkRepair(req); err != nil {
		return RepairReply{}, err
	}
	var rep RepairReply
	local := req
	local.AllNodes = false
	for _, r := range FanOut(ctx, n, n.knownNodes(), func(ctx context.Context, a *Admin) (RepairStatus, error) {
		rep, err := a.Repair(ctx, local)
		if err != nil || len(rep.Nodes) != 1 {
			return RepairStatus{}, err
		}
		return rep.Nodes[0].Status, nil
	}) {
		nr := NodeRepair{Node: r.Node, Status: r.Value}
		if r.Err != nil {
			nr.Error = r.Err.Error()
		}
		rep.Nodes = append(rep.Nodes, nr)
	}
	return rep, nil
}

// checkRepair refuses an unknown repair or scrub command.
func checkRepair(req RepairRequest) error {
	switch req.What {
	case RepairTables, RepairBlocks, RepairVersions, RepairBlockRefs:
		return nil
	case RepairScrub:
		switch req.Scrub {
		case ScrubStart, ScrubPause, ScrubResume, ScrubCancel:
			return nil
		}
		return badRequest("repair scrub %q: want start, pause, resume or cancel", req.Scrub)
	}
	return badRequest("unknown repair %q: want tables, blocks, versions, block-refs or scrub", req.What)
}

// repairLocal launches a repair on this node.
func (n *Node) repairLocal(req RepairRequest) (RepairStatus, error) {
	if err := checkRepair(req); err != nil {
		return RepairStatus{}, err
	}
	if n.block == nil && (req.What == RepairBlocks || req.What == RepairScrub) {
		return RepairStatus{}, fmt.Errorf("repair %s: %w", req.What, object.ErrNoBlockStorage)
	}
	switch req.What {
	case RepairTables:
		return n.jobs.start(req.What, n.repairTables)
	case RepairBlocks:
		return n.jobs.start(req.What, n.repairBlocks)
	case RepairVersions:
		return n.jobs.start(req.What, n.objectRepair(n.objects.RepairVersions, "versions"))
	case RepairBlockRefs:
		return n.jobs.start(req.What, n.objectRepair(n.objects.RepairBlockRefs, "block references"))
	}
	if err := n.scrub(req.Scrub); err != nil {
		return RepairStatus{}, fmt.Errorf("scrub %s: %w", req.Scrub, err)
	}
	return n.RepairState(RepairScrub)
}

func (n *Node) scrub(cmd string) error {
	switch cmd {
	case ScrubStart:
		return n.block.ScrubStart()
	case ScrubPause, ScrubResume:
		return n.block.ScrubPause(cmd == ScrubPause)
	}
	return n.block.ScrubCancel()
}

// RepairState returns the state of repair what on this node.
func (n *Node) RepairState(what string) (RepairStatus, error) {
	if what != RepairScrub {
		if err := checkRepair(RepairRequest{What: what}); err != nil {
			return RepairStatus{}, err
		}
		return n.jobs.state(what), nil
	}
	if n.block == nil {
		return RepairStatus{}, object.ErrNoBlockStorage
	}
	s := n.block.Workers().Scrub
	return RepairStatus{What: what, Launched: s.Running || !s.LastDone.IsZero() || s.Checked > 0,
		Running: s.Running, Paused: s.Paused, Progress: scrubProgress(s), Checked: s.Checked,
		Failed: s.Corrupt + s.Missing}, nil
}

// repairTables runs an anti-entropy pass on every table, one after the
// other.
func (n *Node) repairTables(ctx context.Context, st *RepairStatus, update func()) error {
	tables := n.tables()
	for i, t := range tables {
		if err := t.SyncOnce(ctx); err != nil {
			st.Failed, st.Error = st.Failed+1, err.Error()
		}
		st.Checked = uint64(i + 1)
		st.Progress = fmt.Sprintf("%d of %d tables synced with the other nodes", i+1, len(tables))
		update()
	}
	return nil
}

// repairBlocks queues every block this node has references of for a
// check by the resync workers.
func (n *Node) repairBlocks(ctx context.Context, st *RepairStatus, update func()) error {
	k, err := n.block.RepairAll(ctx)
	st.Checked = uint64(k)
	st.Progress = fmt.Sprintf("%d blocks queued for a check by the resync workers", k)
	return err
}

// objectRepair adapts a repair pass of the object service to a job.
func (n *Node) objectRepair(pass func(context.Context, object.RepairOptions) (object.RepairCount, error), what string) jobFunc {
	return func(ctx context.Context, st *RepairStatus, update func()) error {
		show := func(c object.RepairCount) {
			st.Checked, st.Deleted, st.Failed, st.Error = c.Checked, c.Deleted, c.Failed, c.LastError
			st.Progress = fmt.Sprintf("%d %s checked, %d deleted, %d failed", c.Checked, what, c.Deleted, c.Failed)
		}
		c, err := pass(ctx, object.RepairOptions{Progress: func(c object.RepairCount) { show(c); update() }})
		show(c)
		return err
	}
}

// jobFunc is the body of a repair job: it fills st as it goes and calls
// update to publish it.
type jobFunc func(ctx context.Context, st *RepairStatus, update func()) error

// jobs are the repairs launched on this node, one at most of each kind.
type jobs struct {
	env  rt.Env
	mu   rt.Mutex
	runs map[string]*jobRun
}

// jobRun is the published state of a job.
type jobRun struct {
	status  RepairStatus
	started time.Duration // monotonic
	ended   time.Duration
}

func newJobs(env rt.Env) *jobs {
	return &jobs{env: env, mu: env.Tasks.NewMutex(), runs: map[string]*jobRun{}}
}

// start runs fn as job what in a task of its own, unless one runs.
func (j *jobs) start(what string, fn jobFunc) (RepairStatus, error) {
	j.mu.Lock()
	if r := j.runs[what]; r != nil && r.status.Running {
		j.mu.Unlock()
		return r.status, fmt.Errorf("repair %s: %w on node %s", what, ErrBusy, j.env.ID.Short())
	}
	st := RepairStatus{What: what, Launched: true, Running: true, Progress: "started"}
	j.runs[what] = &jobRun{status: st, started: j.env.Clock.Mono()}
	j.mu.Unlock()
	j.env.Tasks.Spawn("repair-"+what, func(ctx context.Context) {
		work := st
		err := fn(ctx, &work, func() { j.publish(what, work, false) })
		if err != nil && ctx.Err() == nil {
			work.Failed, work.Error = work.Failed+1, err.Error()
			j.env.Log.Warn("repair failed", "repair", what, "err", err)
		}
		work.Running = false
		j.publish(what, work, true)
	})
	return st, nil
}

// publish records the progress of job what.
func (j *jobs) publish(what string, st RepairStatus, done bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	r := j.runs[what]
	if done {
		r.ended = j.env.Clock.Mono()
		st.Progress = fmt.Sprintf("done in %v: %s", (r.ended - r.started).Round(time.Millisecond), st.Progress)
	}
	r.status = st
}

// state returns the state of job what.
func (j *jobs) state(what string) RepairStatus {
	j.mu.Lock()
	defer j.mu.Unlock()
	if r := j.runs[what]; r != nil {
		return r.status
	}
	return RepairStatus{What: what, Progress: "not run since the node started"}
}

// workers describes the jobs launched, as workers, in a fixed order.
func (j *jobs) workers() []WorkerInfo {
	var out []WorkerInfo
	for _, what := range []string{RepairTables, RepairBlocks, RepairVersions, RepairBlockRefs} {
		st := j.state(what)
		if !st.Launched {
			continue
		}
		w := WorkerInfo{Name: "Repair " + what, State: WorkerDone, Done: st.Checked, Errors: st.Failed,
			LastError: st.Error, Info: []string{st.Progress}}
		if st.Running {
			w.State = WorkerBusy
		}
		out = append(out, w)
	}
	return out
}
