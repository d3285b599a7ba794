package nemesis

import (
	"fmt"

	"github.com/gogarage/garage/node/fail"
	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/sim"
)

// Disk is the class of storage faults on one random node: a burst of
// failing disk operations (the sim disk's FailNext), a storage failpoint
// armed with a probability (an error before or after a metadata commit:
// the latter leaves the write applied but reported failed; a failed block
// write; a failed or bit-flipped block read), bit rot of the node's
// block files (the sim disk's Corrupt), or the loss of some of them (a
// quarter, chosen by the draw). Bit rot and lost files are for good: the
// block manager's reads, scrub and resync must repair them.
type Disk struct{}

// Name returns "disk".
func (Disk) Name() string { return "disk" }

// Draw picks the storage fault.
func (Disk) Draw(r *sim.Rand, t Topology) Fault {
	id := t.Nodes[r.IntN(len(t.Nodes))]
	switch r.IntN(4) {
	case 0:
		n := 1 + r.IntN(20)
		return Fault{Kind: "disk", Desc: fmt.Sprintf("%s: next %d operations fail", id, n),
			Start: func(w *sim.World) func() {
				w.Disk(id).FailNext(n, nil)
				return func() { w.Disk(id).FailNext(0, nil) }
			}}
	case 1:
		points := []string{fail.MetaCommitBefore, fail.MetaCommitAfter, fail.BlockFsyncBefore, fail.BlockRead, fail.BlockCorrupt}
		point := points[r.IntN(len(points))]
		p := 0.1 + 0.8*r.Float64()
		return Fault{Kind: "failpoint", Desc: fmt.Sprintf("%s: %s p=%.2f", id, point, p),
			Start: func(w *sim.World) func() {
				w.Arm(id, point, sim.FaultSpec{Prob: p, Value: fail.Err(point)})
				return func() { w.Disarm(id, point) }
			}}
	case 2:
		at := r.IntN(1 << 20)
		return Fault{Kind: "disk", Desc: fmt.Sprintf("%s: corrupt block files", id), Start: func(w *sim.World) func() {
			corruptFiles(w, id, at)
			return nil
		}}
	}
	k := r.IntN(4)
	return Fault{Kind: "disk", Desc: fmt.Sprintf("%s: lose a quarter of the files", id), Start: func(w *sim.World) func() {
		loseFiles(w, id, k)
		return nil
	}}
}

// loseFiles removes every fourth file of the node's disk, starting at
// index k of the sorted listing.
func loseFiles(w *sim.World, id rt.NodeID, k int) {
	files := w.Disk(id).Files()
	names, err := files.List("")
	if err != nil {
		return
	}
	for i := k; i < len(names); i += 4 {
		_ = files.Remove(names[i])
	}
}

// corruptFiles flips one byte in every file of the node's disk.
func corruptFiles(w *sim.World, id rt.NodeID, at int) {
	d := w.Disk(id)
	files, err := d.Files().List("")
	if err != nil {
		return
	}
	for _, f := range files {
		d.Corrupt(f, at)
	}
}
