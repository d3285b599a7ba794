package rebalance

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/gogarage/garage/experiments/endpoint"
	"github.com/gogarage/garage/experiments/lab"
	"github.com/gogarage/garage/experiments/s3client"
	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/node/block"
	"github.com/gogarage/garage/node/cluster"
	"github.com/gogarage/garage/node/object"
	"github.com/gogarage/garage/node/rt"
)

// dataSizes are the sizes of the data objects, in turn: one stored inline
// in its object row, then one to three blocks of the default block size.
func dataSizes() []int { return []int{1 << 10, 16 << 10, 256 << 10, 1 << 20, 5 << 19} }

// dataObject is an object put before the first change.
type dataObject struct {
	key  string
	body []byte
}

// dataObjects returns n objects under prefix, of the sizes of dataSizes
// in turn, with incompressible bodies (their blocks are stored as they
// are: bytes moved are the objects' bytes).
func dataObjects(prefix string, n int) []dataObject {
	out := make([]dataObject, n)
	for i := range out {
		key := fmt.Sprintf("%sd%03d", prefix, i)
		out[i] = dataObject{key: key, body: s3client.Fill(key, dataSizes()[i%len(dataSizes())])}
	}
	return out
}

// blocksOf returns the blocks of the objects as the object service cuts
// them (bodies under the inline limit have none), in order.
func blocksOf(objs []dataObject) []block.Hash {
	var out []block.Hash
	for _, o := range objs {
		if len(o.body) < object.DefaultInlineMax {
			continue
		}
		for b := o.body; len(b) > 0; {
			n := min(len(b), block.DefaultBlockSize)
			out = append(out, block.Sum(b[:n]))
			b = b[n:]
		}
	}
	return out
}

// putData returns a task that puts every data object through client.
func putData(c lab.Cluster, cl endpoint.Client, objs []dataObject, err *error) func(context.Context) {
	return func(ctx context.Context) {
		for _, o := range objs {
			if _, e := cl.PutObject(ctx, c.Bucket(), o.key, o.body); e != nil {
				*err = fmt.Errorf("put %s (%d bytes): %w", o.key, len(o.body), e)
				return
			}
		}
	}
}

// copyOf is one node's copy of a block: its stored size.
type copyOf struct {
	node rt.NodeID
	size int64
}

// holdings maps each block to the copies the nodes hold.
type holdings map[block.Hash][]copyOf

// nodes returns the nodes holding h, sorted.
func (hs holdings) nodes(h block.Hash) []rt.NodeID {
	var out []rt.NodeID
	for _, c := range hs[h] {
		out = append(out, c.node)
	}
	slices.Sort(out)
	return out
}

// holdersOf reads which nodes hold a file of each block: in the
// simulator from each node's block manager, elsewhere with the admin
// BlockInfo call of each node (in parallel per node). A node that cannot
// be asked holds nothing.
func holdersOf(ctx context.Context, c lab.Cluster, hs []block.Hash) holdings {
	per := make([][]int64, len(c.Nodes())) // node -> block -> size, -1 if none
	var wg sync.WaitGroup
	for i := range per {
		per[i] = make([]int64, len(hs))
		if sc, ok := c.(*lab.SimCluster); ok {
			simHolds(sc, i, hs, per[i])
			continue
		}
		wg.Go(func() { adminHolds(ctx, c, i, hs, per[i]) })
	}
	wg.Wait()
	out := holdings{}
	for k, h := range hs {
		for i, n := range c.Nodes() {
			if per[i][k] >= 0 {
				out[h] = append(out[h], copyOf{n.ID, per[i][k]})
			}
		}
	}
	return out
}

func simHolds(sc *lab.SimCluster, i int, hs []block.Hash, sizes []int64) {
	for k, h := range hs {
		sizes[k] = -1
		if in, err := sc.C.Node(i).Block().Info(h); err == nil && len(in.Files) > 0 {
			sizes[k] = in.Files[0].Size
		}
	}
}

func adminHolds(ctx context.Context, c lab.Cluster, i int, hs []block.Hash, sizes []int64) {
	for k, h := range hs {
		sizes[k] = -1
		if in, err := c.Admin(i).BlockInfo(ctx, h.String()); err == nil && len(in.Files) > 0 {
			sizes[k] = in.Files[0].Size
		}
	}
}

// blockMoves is what a transition did to the data blocks: copies gained
// by nodes that lacked them (and their bytes), copies the layout's two
// versions predict (nodes of the new version that were not in the old
// one), copies dropped.
type blockMoves struct {
	blocks, moved, predicted, dropped int
	bytes                             int64
}

// movesOf compares the holders before and after a change with the
// versions' placements of each block.
func movesOf(hs []block.Hash, before, after holdings, prev, next *layout.Version) blockMoves {
	m := blockMoves{blocks: len(hs)}
	for _, h := range hs {
		part := cluster.KeyHash(h[:])
		for _, id := range next.NodesOfHash(part) {
			if !slices.Contains(prev.NodesOfHash(part), id) {
				m.predicted++
			}
		}
		for _, c := range after[h] {
			if !slices.Contains(before.nodes(h), c.node) {
				m.moved++
				m.bytes += c.size
			}
		}
		for _, id := range before.nodes(h) {
			if !slices.Contains(after.nodes(h), id) {
				m.dropped++
			}
		}
	}
	return m
}

// placed reports whether every block is held by exactly the nodes v
// places it on.
func placed(hs []block.Hash, held holdings, v *layout.Version) bool {
	for _, h := range hs {
		want := slices.Clone(v.NodesOfHash(cluster.KeyHash(h[:])))
		slices.Sort(want)
		if !slices.Equal(want, held.nodes(h)) {
			return false
		}
	}
	return true
}
