package nemesis

import (
	"fmt"

	"github.com/gogarage/garage/node/fail"
	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/sim"
)

// Rot is the class of silent data corruption (bit rot): each fault flips
// a byte in some of a node's stored files, and makes a share of that
// node's block reads see a flipped bit (the block-corrupt failpoint)
// while it holds. A node that checks the hash of what it reads sets such
// blocks aside and fetches them again; one that does not serves them.
type Rot struct{}

// Name returns "corrupt".
func (Rot) Name() string { return "corrupt" }

// Draw picks the node, the files hit (every k-th of its sorted listing,
// from an offset) and the byte flipped in each.
func (Rot) Draw(r *sim.Rand, t Topology) Fault {
	id := t.Nodes[r.IntN(len(t.Nodes))]
	every, from, at := 1+r.IntN(2), r.IntN(2), r.IntN(1<<20)
	p := 0.5 + 0.5*r.Float64()
	desc := fmt.Sprintf("%s: flip a byte in every %d files, block reads corrupt p=%.2f", id, every, p)
	return Fault{Kind: "corrupt", Desc: desc, Start: func(w *sim.World) func() {
		rotFiles(w, id, every, from, at)
		w.Arm(id, fail.BlockCorrupt, sim.FaultSpec{Prob: p, Value: fail.Err(fail.BlockCorrupt)})
		return func() { w.Disarm(id, fail.BlockCorrupt) }
	}}
}

// rotFiles flips byte at (modulo each file's size) of every every-th file
// of node id, starting at index from of the sorted listing.
func rotFiles(w *sim.World, id rt.NodeID, every, from, at int) {
	d := w.Disk(id)
	names, err := d.Files().List("")
	if err != nil {
		return
	}
	for i := from; i < len(names); i += every {
		d.Corrupt(names[i], at)
	}
}
