package realproc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gogarage/garage/checker"
	"github.com/gogarage/garage/experiments/workload"
)

// Options describes a register run against real `garage server` processes
// on loopback, shaped by their --netem option and killed with SIGKILL by a
// nemesis.
type Options struct {
	// Garage is the path of the garage binary to run (required).
	Garage string
	Nodes  int    // server processes (5)
	Zones  int    // zones the roles are spread over (3)
	RF     int    // replication_factor (3)
	Mode   string // consistency_mode: consistent, degraded or dangerous
	// RTT and Jitter shape every node-to-node link (100 ms ± 20 ms);
	// client links are direct.
	RTT, Jitter time.Duration
	// InterZoneOnly shapes only the links between nodes of different
	// zones, leaving links inside a zone direct (data centres on loopback).
	InterZoneOnly bool
	// Spares is how many of the Nodes (the last ones) start without a
	// role, for layout changes to add.
	Spares   int
	Workload workload.RegisterWorkload
	// Duration, if positive, bounds the workload phase.
	Duration time.Duration
	// Kills is how many times the nemesis kills a random node, every
	// KillEvery, restarting it Down later.
	Kills           int
	KillEvery, Down time.Duration
	// Settle is the pause after every node is back up and sees the others,
	// before the final reads (anti-entropy and read repair time).
	Settle time.Duration
	// Fsync sets metadata_fsync and data_fsync.
	Fsync bool
	// AdminToken, if set, gives every node an admin HTTP API on a free
	// loopback port with this token (admin and metrics).
	AdminToken string
	// S3 gives every node an S3 API ([s3_api]) on a free loopback port.
	S3 bool
	// Bucket, if set, is created by StartCluster with an access key
	// (KeyName) that may read, write and own it.
	Bucket, KeyName string
	// Dir holds the nodes' directories; empty means a
	// temporary directory, removed afterwards unless KeepDir.
	Dir     string
	KeepDir bool
	// Out, if set, receives the history (history.jsonl) and an HTML
	// visualisation per failing key when a gating check fails.
	Out  string
	Seed uint64
	// Log, if set, receives progress lines.
	Log io.Writer
}

// Default is the acceptance run of the real cluster: five nodes over
// three zones, RF 3, consistent, 100 ms ± 20 ms, five clients, a kill
// every 3 s. Its Garage path is empty: set it.
func Default() Options {
	wl := workload.DefaultRegisterWorkload()
	wl.OpsPerClient, wl.OpTimeout, wl.ErrorPause = 1000, 5*time.Second, 100*time.Millisecond
	return Options{Nodes: 5, Zones: 3, RF: 3, Mode: "consistent",
		RTT: 100 * time.Millisecond, Jitter: 20 * time.Millisecond, Workload: wl,
		Duration: 30 * time.Second, Kills: 5, KillEvery: 3 * time.Second, Down: 2 * time.Second,
		Settle: 3 * time.Second, Fsync: true, Seed: 1}
}

// Result is what a real cluster run produced.
type Result struct {
	Ops      []workload.Op
	History  checker.History // final reads flagged Final
	Results  []checker.Result
	Kills    int
	Restarts int
	Load     time.Duration // wall time of the workload phase
	Wall     time.Duration // wall time of the whole run
	Dir      string        // where the nodes lived (removed unless KeepDir)
	HTML     []string      // history and visualisations written for failing keys
	// StopErr is set if a node did not stop cleanly on SIGTERM at the end.
	StopErr error
}

// Failed reports whether a gating check found a violation or a node did
// not stop cleanly.
func (r Result) Failed() bool {
	for _, c := range r.Results {
		if c.Gate() {
			return true
		}
	}
	return r.StopErr != nil
}

// Print writes the run's figures, latency table and checks to w.
func (r Result) Print(w io.Writer) {
	fmt.Fprintf(w, "real cluster: %d ops in %v (run %v), %d kills, %d restarts\n",
		len(r.Ops), r.Load.Round(time.Millisecond), r.Wall.Round(time.Millisecond), r.Kills, r.Restarts)
	if len(r.Ops) > 0 {
		fmt.Fprint(w, workload.FormatStats(workload.Summarise(r.Ops, "get", "put", "delete")))
	}
	for _, c := range r.Results {
		fmt.Fprintln(w, c.String())
	}
	for _, p := range r.HTML {
		fmt.Fprintf(w, "wrote %s\n", p)
	}
	if r.StopErr != nil {
		fmt.Fprintf(w, "stop: %v\n", r.StopErr)
	}
	if r.Dir != "" {
		fmt.Fprintf(w, "nodes in %s\n", r.Dir)
	}
}

// Run starts o.Nodes `garage server` processes (binary o.Garage) on
// loopback, lays them out over o.Zones zones, runs the register
// workload through daemon clients while a nemesis kills and restarts
// nodes, heals, reads every key a last time, stops the servers and checks
// the history. Every wait has a deadline, and every process is killed on
// every way out (ctx's end included). An error means the run could not be
// carried out; violations are in the result.
func Run(ctx context.Context, o Options) (Result, error) {
	start := time.Now()
	if o.Garage == "" {
		return Result{}, errors.New("no garage binary given (build one with go build -o garage ./cmd/garage)")
	}
	dir, cleanup, err := realDir(o)
	if err != nil {
		return Result{}, err
	}
	defer cleanup()
	res := Result{Dir: dir}
	if !o.KeepDir && o.Dir == "" {
		res.Dir = ""
	}
	c, err := newProcCluster(o, o.Garage, dir)
	if err != nil {
		return res, err
	}
	defer c.close()
	h, final, err := runProcs(ctx, o, c, &res)
	if err != nil {
		return res, err
	}
	res.StopErr = stopAll(c.procs)
	res.Ops, res.Results, err = judge(h, final, o, &res)
	res.Wall = time.Since(start)
	return res, err
}

// runProcs starts the cluster, runs the workload and the nemesis, heals
// and reads every key; it returns the history and the stamp after which
// the final reads start.
func runProcs(ctx context.Context, o Options, c *procCluster, res *Result) (*workload.History, checker.Stamp, error) {
	if err := bootProcs(ctx, o, c); err != nil {
		return nil, 0, err
	}
	h := workload.NewHistory(map[string]string{"scenario": "register", "mode": "realcluster",
		"consistency_mode": o.Mode, "seed": fmt.Sprint(o.Seed), "rtt": o.RTT.String(), "jitter": o.Jitter.String()})
	l := newLoad(ctx, c, o, h)
	lctx, cancel := loadContext(ctx, o.Duration)
	defer cancel()
	o.logf("running %d clients, %d kills", o.Workload.Clients, o.Kills)
	if err := l.run(lctx); err != nil {
		return nil, 0, err
	}
	res.Load, res.Kills, res.Restarts = time.Since(l.t0), l.kills, l.restarts
	o.logf("workload done: %d ops, %d kills; healing", len(h.Ops()), l.kills)
	if err := heal(ctx, o, c); err != nil {
		return nil, 0, err
	}
	final := h.Rec.Now()
	if err := l.finalReads(ctx); err != nil {
		return nil, 0, err
	}
	return h, final, nil
}

// bootProcs starts every server, waits for the mesh, applies layout 1 and
// waits until every node has finished the transition to it.
func bootProcs(ctx context.Context, o Options, c *procCluster) error {
	o.logf("starting %d servers", len(c.procs))
	for _, p := range c.procs {
		if err := p.start(); err != nil {
			return err
		}
	}
	if err := c.dialAdmins(); err != nil {
		return err
	}
	if err := c.waitMesh(ctx, 30*time.Second); err != nil {
		return err
	}
	if err := c.assignLayout(ctx, o.Spares); err != nil {
		return err
	}
	return c.waitLayout(ctx, 1, 30*time.Second)
}

// heal restarts any node the nemesis left down, waits until every node
// sees every other, then lets the cluster settle.
func heal(ctx context.Context, o Options, c *procCluster) error {
	for _, p := range c.procs {
		if !p.running() {
			if err := p.start(); err != nil {
				return err
			}
		}
	}
	if err := c.waitMesh(ctx, 30*time.Second); err != nil {
		return err
	}
	return sleepCtx(ctx, o.Settle)
}

// judge marks the final reads, runs the checks and writes the HTML of the
// failing keys.
func judge(h *workload.History, final checker.Stamp, o Options, res *Result) ([]workload.Op, []checker.Result, error) {
	hist := h.Rec.History()
	hist.MarkFinal(final)
	res.History = hist
	rs, err := checker.CheckAll(hist, checker.Options{})
	if err != nil {
		return h.Ops(), nil, fmt.Errorf("check: %w", err)
	}
	if o.Out != "" {
		if res.HTML, err = writeFailingHTML(o.Out, hist, rs); err != nil {
			return h.Ops(), rs, err
		}
	}
	return h.Ops(), rs, nil
}

// writeFailingHTML renders every key a gating check failed on into dir.
func writeFailingHTML(dir string, h checker.History, rs []checker.Result) ([]string, error) {
	keys := checker.FailingKeys(rs)
	if len(keys) == 0 {
		return nil, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("results dir: %w", err)
	}
	hp := filepath.Join(dir, "history.jsonl")
	if err := checker.WriteHistoryFile(hp, h); err != nil {
		return nil, err
	}
	paths := []string{hp}
	for _, k := range keys {
		p := filepath.Join(dir, strings.ReplaceAll(k, "/", "_")+".html")
		if err := checker.WriteHTML(p, h, k, checker.GateViolations(rs, k)...); err != nil {
			return paths, fmt.Errorf("html of %s: %w", k, err)
		}
		paths = append(paths, p)
	}
	return paths, nil
}

// realDir returns the run's directory and what removes it.
func realDir(o Options) (string, func(), error) {
	if o.Dir != "" {
		return o.Dir, func() {}, os.MkdirAll(o.Dir, 0o755)
	}
	dir, err := os.MkdirTemp("", "garage-realcluster-")
	if err != nil {
		return "", nil, fmt.Errorf("temp dir: %w", err)
	}
	if o.KeepDir {
		return dir, func() {}, nil
	}
	return dir, func() { os.RemoveAll(dir) }, nil
}

// loadContext bounds the workload phase by d, if positive.
func loadContext(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	if d <= 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, d)
}

func (o Options) logf(format string, args ...any) {
	if o.Log != nil {
		fmt.Fprintf(o.Log, "realcluster: "+format+"\n", args...)
	}
}
