package rebalance

import (
	"context"
	"fmt"
	"time"

	"github.com/gogarage/garage/experiments/lab"
	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/node/block"
)

// Polling periods of the transition watcher: the layouts (cheap), the
// data blocks' holders (a call per node and block outside the simulator).
const (
	pollEvery   = 100 * time.Millisecond
	blocksEvery = time.Second
)

// transition is what one change did. Times are since the load started;
// negative times and counts were not reached or not measured.
type transition struct {
	ch        change
	version   uint64
	summary   layout.Summary
	minCopies int
	applied   time.Duration
	acked     time.Duration
	synced    time.Duration
	retired   time.Duration
	converged time.Duration // every data block on exactly its new nodes
	blocks    blockMoves
	wire      int64 // bytes on the simulated wire from apply to the end of the watch
	err       error
}

func notMeasured() transition {
	return transition{applied: -1, acked: -1, synced: -1, retired: -1, converged: -1, wire: -1,
		blocks: blockMoves{moved: -1, predicted: -1, dropped: -1, bytes: -1}}
}

// driver runs the load and the changes.
type driver struct {
	c      lab.Cluster
	l      *lab.Load
	tl     timeline
	chs    []change
	res    []transition
	data   []dataObject
	blocks []block.Hash // of data
	t0     time.Duration
}

func (d *driver) drive(ctx context.Context, s *lab.Session) error {
	op := d.l.Nodes[0]
	var putErr error
	if err := d.c.Run(10*time.Minute, d.l.Prefill(d.c, op), putData(d.c, d.c.Client(op), d.data, &putErr)); err != nil {
		return fmt.Errorf("prefill: %w", err)
	}
	if putErr != nil {
		return fmt.Errorf("data objects: %w", putErr)
	}
	d.t0 = d.c.Env().Clock.Mono()
	p := s.Progress(int(d.tl.end()/d.tl.bucket), "buckets")
	tasks := append(d.l.Clients(d.c, s.Seed, d.t0+d.tl.end()), func(ctx context.Context) { d.operate(ctx, op) },
		func(ctx context.Context) { d.tick(ctx, p) })
	err := d.c.Run(d.tl.end()+5*time.Minute, tasks...)
	p.Finish()
	if err != nil {
		return err
	}
	for _, r := range d.res {
		if r.err != nil {
			return fmt.Errorf("%s: %w", r.ch.name, r.err)
		}
	}
	return d.c.Run(5*time.Minute, d.l.Final(d.c, op))
}

func (d *driver) tick(ctx context.Context, p interface{ Add(int) }) {
	clk := d.c.Env().Clock
	for clk.Mono() < d.t0+d.tl.end() {
		if clk.Sleep(ctx, d.tl.bucket) != nil {
			return
		}
		p.Add(1)
	}
}

// operate makes each change at its time through node op and watches its
// transition until it completes or the next change is due.
func (d *driver) operate(ctx context.Context, op int) {
	clk := d.c.Env().Clock
	for k, ch := range d.chs {
		d.res[k] = notMeasured()
		if clk.Sleep(ctx, d.t0+ch.at-clk.Mono()) != nil {
			return
		}
		d.res[k] = d.change(ctx, op, ch, d.deadline(k))
	}
}

// deadline is when watching change k stops: the next change, or the
// end of the load plus two minutes.
func (d *driver) deadline(k int) time.Duration {
	if k+1 < len(d.chs) {
		return d.t0 + d.chs[k+1].at
	}
	return d.t0 + d.tl.end() + 2*time.Minute
}

func (d *driver) change(ctx context.Context, op int, ch change, until time.Duration) transition {
	tr := notMeasured()
	tr.ch = ch
	before := holdersOf(ctx, d.c, d.blocks)
	wire0 := d.wireBytes()
	tr.applied = d.c.Env().Clock.Mono() - d.t0
	sum, h, err := stage(ctx, d.c.Admin(op), d.c, ch)
	if err != nil {
		tr.err = err
		return tr
	}
	tr.summary, tr.version = sum, sum.Version
	prev, next := versions(h, sum.Version)
	if prev == nil || next == nil {
		tr.err = fmt.Errorf("layout history of v%d lacks v%d or v%d", sum.Version, sum.Version-1, sum.Version)
		return tr
	}
	tr.minCopies = MinCopies(prev, next)
	after := d.watch(ctx, &tr, next, until)
	tr.blocks = movesOf(d.blocks, before, after, prev, next)
	tr.wire = d.wireBytes() - wire0
	return tr
}

// watch polls the nodes' layouts until the old version is retired on
// every node, and the data blocks' holders until every block sits on
// exactly the nodes next places it on, or until; it returns the last
// holders read.
func (d *driver) watch(ctx context.Context, tr *transition, next *layout.Version, until time.Duration) holdings {
	clk := d.c.Env().Clock
	var held holdings
	lastBlocks := time.Duration(-1)
	for {
		hs := d.histories(ctx)
		now := clk.Mono() - d.t0
		if h0 := hs[d.l.Nodes[0]]; h0 != nil {
			mark(&tr.acked, now, h0.AckMin() >= tr.version)
			mark(&tr.synced, now, h0.SyncMin() >= tr.version)
		}
		mark(&tr.retired, now, retired(hs, tr.version))
		if tr.converged < 0 && (lastBlocks < 0 || now-lastBlocks >= blocksEvery || clk.Mono() >= until) {
			held, lastBlocks = holdersOf(ctx, d.c, d.blocks), now
			mark(&tr.converged, clk.Mono()-d.t0, placed(d.blocks, held, next))
		}
		if tr.retired >= 0 && tr.converged >= 0 || clk.Mono() >= until {
			return held
		}
		if clk.Sleep(ctx, min(pollEvery, until-clk.Mono())) != nil {
			return held
		}
	}
}

func mark(at *time.Duration, now time.Duration, reached bool) {
	if *at < 0 && reached {
		*at = now
	}
}

// retired reports whether every node answering is at version v or later
// with a single live version.
func retired(hs []*layout.History, v uint64) bool {
	for _, h := range hs {
		if h == nil || h.Current().Number < v || len(h.Versions) > 1 {
			return false
		}
	}
	return true
}

// histories reads every node's layout history (nil where it fails).
func (d *driver) histories(ctx context.Context) []*layout.History {
	hs := make([]*layout.History, len(d.c.Nodes()))
	if sc, ok := d.c.(*lab.SimCluster); ok {
		for i := range hs {
			hs[i] = sc.C.Node(i).Cluster().History()
		}
		return hs
	}
	for i := range hs {
		hs[i], _ = d.c.Admin(i).Layout(ctx)
	}
	return hs
}

// wireBytes is the bytes delivered by the simulated network so far (0
// elsewhere).
func (d *driver) wireBytes() int64 {
	if sc, ok := d.c.(*lab.SimCluster); ok {
		return sc.W.Network().Stats().Bytes
	}
	return 0
}
