package table

import (
	"testing"
	"time"

	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/sim"
)

// hedged is a layout whose reads ask a read quorum first (ReadHedger)
// with a fixed hedge.
type hedged struct {
	Layout
	hedge time.Duration
}

func (h hedged) ReadHedge([]rt.NodeID) time.Duration { return h.hedge }

// TestReadAsksQuorumFirst checks reads through a ReadHedger: the third
// replica is not asked while the first two answer (it keeps a stale value,
// since read repair reaches only the nodes asked), and a silent first
// replica costs the hedge, after which the others are asked.
func TestReadAsksQuorumFirst(t *testing.T) {
	const hedge = 2 * time.Second
	c := newCluster(t, clusterOpts{seed: 5, nodes: 5, cfg: Config{NoWorkers: true},
		wrap: func(_ *Static, l Layout) Layout { return hedged{Layout: l, hedge: hedge} }})
	reps := c.replicas("pk")
	reader := otherThan(c.ids, reps)
	order := c.st.For(reader).ReadNodes([]byte("pk"))
	must(t, c.insert(reader, mkRow("pk", "a", 10, "v1")))
	third := order[2]
	cut := c.w.Network().IsolateNode(string(third))
	must(t, c.insert(reader, mkRow("pk", "a", 20, "v2")))
	c.w.Network().Heal(cut)

	start := c.w.Now()
	r, _, err := c.get(reader, "pk", "a")
	if took := c.w.Now() - start; err != nil || r.Val() != "v2" || took >= hedge {
		t.Fatalf("read: %q %v after %v; want v2 within one round trip", r.Val(), err, took)
	}
	must(t, c.w.RunFor(10*time.Second))
	if got, _, _ := c.tabs[third].LocalGet([]byte("pk"), []byte("a")); got.Val() != "v1" {
		t.Fatalf("the third replica holds %q: it was asked (want v1, untouched)", got.Val())
	}

	cut = c.w.Network().IsolateNode(string(order[0]))
	start = c.w.Now()
	r, _, err = c.get(reader, "pk", "a")
	if took := c.w.Now() - start; err != nil || r.Val() != "v2" || took < hedge || took > hedge+time.Second {
		t.Fatalf("read with a silent first replica: %q %v after %v; want v2 just after the %v hedge",
			r.Val(), err, took, hedge)
	}
	c.w.Network().Heal(cut)
	must(t, c.w.RunFor(10*time.Second)) // the silent call times out, then read repair runs
	if got, _, _ := c.tabs[third].LocalGet([]byte("pk"), []byte("a")); got.Val() != "v2" {
		t.Fatalf("the third replica holds %q after the hedged read, want v2 (asked, then repaired)", got.Val())
	}
}

// notifying is a layout that tells of layout changes (LayoutNotifier)
// through one event shared by every node, replaced at each change.
type notifying struct {
	Layout
	bus *changeBus
}

type changeBus struct {
	tasks rt.Tasks
	ev    rt.Event
}

func (n notifying) Changed() rt.Event { return n.bus.ev }

func (b *changeBus) changed() {
	old := b.ev
	b.ev = b.tasks.NewEvent()
	old.Set()
}

// TestSyncFollowsLayoutNotifications checks that a sync worker whose
// layout tells of changes moves data at a change, without a periodic pass
// (an hour away) and without looking by itself (commenting out the
// notification makes it fail).
func TestSyncFollowsLayoutNotifications(t *testing.T) {
	w := sim.New(sim.Config{Seed: 31, Scenario: t.Name()})
	t.Cleanup(w.Close)
	bus := changeBus{tasks: w.Tasks()}
	bus.ev = bus.tasks.NewEvent()
	cfg := syncCfg
	cfg.LayoutPoll, cfg.SyncInterval = time.Second, time.Hour
	c := newClusterIn(t, w, clusterOpts{nodes: 5, extra: 1, cfg: cfg,
		wrap: func(_ *Static, l Layout) Layout { return notifying{Layout: l, bus: &bus} }})
	must(t, c.insert("n2", rowsN("k", 100, 10)...))
	must(t, c.w.RunUntil(c.converged, time.Minute))
	must(t, c.st.Update(replaceN1ByN6))
	bus.changed()
	moved := func() bool { return c.localCount("n6") > 0 }
	must(t, c.w.RunUntil(moved, 10*time.Minute))
}
