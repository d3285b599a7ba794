package rebalance

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/gogarage/garage/experiments/lab"
	"github.com/gogarage/garage/experiments/results"
	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/node/garage"
)

// Experiment is "rebalance".
func Experiment() lab.Experiment {
	return lab.Experiment{Name: "rebalance", Worlds: lab.AllWorlds(), Run: run,
		Summary: "a node, then a zone, joins a loaded cluster: copies moved vs minimum, time to retire the old layout, latency",
		Doc: `Five storage nodes over 3 zones (z1 and z2 have two, z3 one: the zone that bounds
the usable capacity), RF 3, 100 ms RTT ± 20 ms, and three spare nodes. Before
the load, 20 data objects (--quick: 5) of 1 KiB (inline), 16 KiB, 256 KiB,
1 MiB and 2.5 MiB are put through S3 (incompressible: their blocks are stored
as they are); then five register clients read, write and remove 8 small objects
through S3. After 10 s a spare joins the zone with the fewest nodes (z3, layout
v2); 40 s later the two other spares join as a new zone z4 (v3); the load runs
40 s more (--quick: 2 s, 15 s, 12 s). transitions.csv: per change, partition
copies the layout moves and the minimum (sum over nodes of the copies each
gains: no assignment with these loads moves fewer); copies of the data blocks
gained by nodes that lacked them, the layout's prediction (nodes of the new
version that were not in the old one), copies dropped, and the bytes moved;
bytes on the simulated wire; seconds from apply until every node acked the
version, every storage node synced it, the old version was retired everywhere,
and every data block sat on exactly its new nodes (converged). --target needs
allow_layout_changes = true and spare nodes (without a role) in the file, and
assumes the default block size. Goals: copies moved equal the minimum, each
transition completes, the data blocks converge, block copies moved equal the
prediction, 0 read-after-write violations.`}
}

// timeline is the schedule, from the start of the load, and the number
// of data objects put before it.
type timeline struct {
	warm, gap, after, bucket time.Duration
	objects                  int
}

func (tl timeline) end() time.Duration { return tl.warm + tl.gap + tl.after }

func schedule(o lab.Options) timeline {
	return lab.Pick(o, timeline{10 * time.Second, 40 * time.Second, 40 * time.Second, time.Second, 20},
		timeline{2 * time.Second, 15 * time.Second, 12 * time.Second, 500 * time.Millisecond, 5})
}

func topology() lab.Topology {
	t := lab.Garage5()
	t.Nodes, t.Zones, t.Spares = 8, 3, 3 // storage n1…n5 in z1 z2 z3 z1 z2; spares n6 (z3), n7, n8
	return t
}

// change is one layout change of the run.
type change struct {
	name  string
	at    time.Duration // since the load started
	nodes []int         // spares given a role
	zone  string        // their zone
}

func changes(c lab.Cluster, tl timeline) ([]change, error) {
	var spares []int
	for i, n := range c.Nodes() {
		if n.Spare {
			spares = append(spares, i)
		}
	}
	if len(spares) < 2 {
		return nil, fmt.Errorf("%d spare nodes (without a role): want at least 2, one to join a zone and one to form a new one", len(spares))
	}
	return []change{{name: "node-join", at: tl.warm, nodes: spares[:1], zone: smallestZone(c)},
		{name: "zone-join", at: tl.warm + tl.gap, nodes: spares[1:], zone: newZone(c)}}, nil
}

// smallestZone is the zone with the fewest storage nodes (the first in
// name order among equals): the one that bounds the usable capacity.
func smallestZone(c lab.Cluster) string {
	count := map[string]int{}
	for _, n := range c.Nodes() {
		if !n.Spare {
			count[n.Zone]++
		}
	}
	best := ""
	for z, k := range count {
		if best == "" || k < count[best] || (k == count[best] && z < best) {
			best = z
		}
	}
	return best
}

// newZone names a zone no node is in: "z4" for three zones z1…z3.
func newZone(c lab.Cluster) string {
	for i := 1; ; i++ {
		z := fmt.Sprintf("z%d", i)
		if !slices.ContainsFunc(c.Nodes(), func(n lab.Node) bool { return n.Zone == z }) {
			return z
		}
	}
}

func run(ctx context.Context, s *lab.Session) error {
	if s.World == results.Target && !s.Target.AllowLayoutChanges {
		return errors.New("the target file does not allow layout changes (allow_layout_changes = true)")
	}
	tl := schedule(s.Options)
	describe(s, tl)
	c, err := s.Open(ctx, topology())
	if err != nil {
		return err
	}
	defer c.Close()
	chs, err := changes(c, tl)
	if err != nil {
		return err
	}
	l := lab.NewLoad(s.Prefix()+"load/", storageNodes(c), map[string]string{"experiment": "rebalance"})
	data := dataObjects(s.Prefix()+"data/", tl.objects)
	d := &driver{c: c, l: l, tl: tl, chs: chs, res: make([]transition, len(chs)), data: data, blocks: blocksOf(data)}
	err = d.drive(ctx, s)
	if sc, ok := c.(*lab.SimCluster); ok {
		s.AddVirtual(sc.W.Now())
	}
	if err != nil {
		return err
	}
	rs, err := l.Check()
	if err != nil {
		return err
	}
	return write(s, d, rs)
}

func describe(s *lab.Session, tl timeline) {
	t := topology()
	s.Param("nodes", t.Nodes-t.Spares)
	s.Param("spares", t.Spares)
	s.Param("zones", t.Zones)
	s.Param("rf", t.RF)
	s.Param("rtt_ms", lab.Ms(t.RTT))
	s.Param("jitter_ms", lab.Ms(t.Jitter))
	s.Param("data_objects", tl.objects)
	s.Param("data_object_bytes", dataSizes())
	s.Param("warm_s", tl.warm.Seconds())
	s.Param("gap_s", tl.gap.Seconds())
	s.Param("after_s", tl.after.Seconds())
}

func storageNodes(c lab.Cluster) []int {
	var out []int
	for i, n := range c.Nodes() {
		if !n.Spare {
			out = append(out, i)
		}
	}
	return out
}

// stage gives every node of ch a storage role of the capacity of the
// first storage node, applies the next version and returns its summary
// and the two versions.
func stage(ctx context.Context, a *garage.Admin, c lab.Cluster, ch change) (layout.Summary, *layout.History, error) {
	h, err := a.Layout(ctx)
	if err != nil {
		return layout.Summary{}, nil, fmt.Errorf("read layout: %w", err)
	}
	var capacity int64
	for _, m := range h.Current().Members {
		capacity = max(capacity, m.Role.Capacity)
	}
	var req garage.StageRequest
	for _, i := range ch.nodes {
		req.Roles = append(req.Roles, garage.RoleChange{Node: c.Nodes()[i].ID, Role: layout.StorageRole(ch.zone, capacity)})
	}
	if err := a.Stage(ctx, req); err != nil {
		return layout.Summary{}, nil, fmt.Errorf("stage %s: %w", ch.name, err)
	}
	sum, err := a.Apply(ctx, h.Current().Number+1)
	if err != nil {
		a.Revert(ctx)
		return sum, nil, fmt.Errorf("apply %s: %w", ch.name, err)
	}
	h2, err := a.Layout(ctx)
	return sum, h2, err
}

// MinCopies is the least number of partition copies any assignment with
// the loads of next must place on nodes that lacked them in prev: each
// node gains at least its new load minus its old one.
func MinCopies(prev, next *layout.Version) int {
	n := 0
	for _, id := range next.Storage {
		n += max(0, len(next.PartitionsOf(id))-len(prev.PartitionsOf(id)))
	}
	return n
}

// versions returns the previous and the new version of a history in
// transition (prev nil if the old one already retired).
func versions(h *layout.History, v uint64) (prev, next *layout.Version) {
	next, _ = h.Version(v)
	prev, _ = h.Version(v - 1)
	return prev, next
}
