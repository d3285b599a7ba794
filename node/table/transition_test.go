package table

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/netem"
	"github.com/gogarage/garage/node/rt"
	"golang.org/x/crypto/blake2b"
)

// singleVersion is the negative control of layout transitions: reads and
// writes use the newest version alone, as if the switch were atomic.
type singleVersion struct {
	Layout
	st *Static
}

func (s singleVersion) nodes(key []byte) []rt.NodeID {
	h := s.st.History()
	return slices.Clone(h.Current().NodesOf(h.PartitionOf(blake2b.Sum256(key))))
}

func (s singleVersion) ReadNodes(key []byte) []rt.NodeID   { return s.nodes(key) }
func (s singleVersion) WriteSets(key []byte) [][]rt.NodeID { return [][]rt.NodeID{s.nodes(key)} }

// moveN1ToN6 applies a version where n6 replaces n1.
func moveN1ToN6(h *layout.History) error {
	if err := h.Remove("n1", 3); err != nil {
		return err
	}
	if err := h.Assign("n6", layout.StorageRole("z1", 1e12), 3); err != nil {
		return err
	}
	_, err := h.Apply(h.Current().Number+1, 4)
	return err
}

// transitionRun writes and reads five keys through random nodes, one
// operation at a time, with a random node cut off before each, and
// switches the layout after the first third. It
// returns the stale reads (older than the last acknowledged write of the
// key) and the successful reads.
func (c *cluster) transitionRun(t *testing.T) (stale, reads int) {
	rng := c.w.Rand("sweep")
	acked := map[string]uint64{}
	var cut netem.CutID
	cutting := false
	for op := range 36 {
		if op == 12 {
			must(t, c.st.Update(moveN1ToN6))
		}
		if cutting {
			c.w.Network().Heal(cut)
		}
		if cutting = rng.IntN(2) == 0; cutting {
			cut = c.w.Network().IsolateNode(string(c.ids[rng.IntN(len(c.ids))]))
		}
		key := fmt.Sprint("k", rng.IntN(5))
		via := c.ids[1+rng.IntN(len(c.ids)-1)]
		if rng.IntN(2) == 0 {
			ts := uint64(10 + op)
			if c.insert(via, mkRow(key, "x", ts, fmt.Sprint("v", op))) == nil {
				acked[key] = ts
			}
			continue
		}
		got, _, err := c.get(via, key, "x")
		if err != nil {
			continue
		}
		reads++
		if got.V.Time() < acked[key] {
			stale++
		}
	}
	return stale, reads
}

func transitionSweep(t *testing.T, single bool) (stale, reads int) {
	for seed := range sweepSeeds() {
		cfg := syncCfg
		cfg.LayoutPoll = 20 * time.Second // new nodes stay empty for a while
		o := clusterOpts{seed: uint64(2000 + seed), nodes: 5, extra: 1, partBit: 2, cfg: cfg}
		if single {
			o.wrap = func(st *Static, l Layout) Layout { return singleVersion{Layout: l, st: st} }
		}
		s, r := newCluster(t, o).transitionRun(t)
		stale, reads = stale+s, reads+r
	}
	return stale, reads
}

// TestLayoutChangeDuringTraffic: with writes to every live version and
// reads from the synced one, no read misses an acknowledged write across
// a layout change.
func TestLayoutChangeDuringTraffic(t *testing.T) {
	stale, reads := transitionSweep(t, false)
	t.Logf("multi-version transition: %d stale of %d reads over %d seeds", stale, reads, sweepSeeds())
	if stale != 0 || reads == 0 {
		t.Fatalf("%d stale reads of %d", stale, reads)
	}
}

// TestSingleVersionSwitchShowsStaleReads is the negative control: a switch
// that drops the old version at once reads from new nodes that hold
// nothing yet.
func TestSingleVersionSwitchShowsStaleReads(t *testing.T) {
	stale, reads := transitionSweep(t, true)
	t.Logf("single-version switch: %d stale of %d reads over %d seeds", stale, reads, sweepSeeds())
	if stale == 0 {
		t.Fatalf("no stale read in %d: the sweep cannot fail", reads)
	}
}
