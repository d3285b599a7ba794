package merkle

import "fmt"

// Side is one replica's view of a subtree during a diff: either the node
// itself (Known) or only its hash, read from its parent, until fetched.
type Side struct {
	Known bool
	Node  Node
	Hash  Hash
}

// Pair is a subtree of both replicas at the same prefix.
type Pair struct {
	Prefix        []byte
	Local, Remote Side
}

func known(n Node) Side { return Side{Known: true, Node: n, Hash: n.Hash()} }

// Compare decides what to do with a pair whose sides are both known: the
// keys of local leaves the remote lacks or holds with another value (push),
// the remote leaves likewise (pull), and the child pairs that still differ
// (next). A leaf facing an intermediate node is treated as an intermediate
// node with one child, so the walk goes on until leaves meet leaves.
func Compare(p Pair) (push, pull [][]byte, next []Pair) {
	l, r := p.Local.Node, p.Remote.Node
	if p.Local.Hash == p.Remote.Hash {
		return nil, nil, nil
	}
	if l.Kind != Intermediate && r.Kind != Intermediate {
		if l.Kind == Leaf {
			push = append(push, l.Key)
		}
		if r.Kind == Leaf {
			pull = append(pull, r.Key)
		}
		return push, pull, nil
	}
	ls, rs := expand(l, len(p.Prefix)), expand(r, len(p.Prefix))
	for nib := range byte(16) {
		if ls[nib].Hash != rs[nib].Hash {
			next = append(next, Pair{Prefix: child(p.Prefix, nib), Local: ls[nib], Remote: rs[nib]})
		}
	}
	return nil, nil, next
}

// expand returns the sixteen children of n seen from depth: unknown sides
// with their hashes for an intermediate node, the leaf itself at its nibble
// for a leaf, and empty sides elsewhere.
func expand(n Node, depth int) [16]Side {
	var out [16]Side
	for i := range out {
		out[i] = Side{Known: true}
	}
	switch n.Kind {
	case Leaf:
		out[Nibble(KeyHash(n.Key), depth)] = known(n)
	case Intermediate:
		for _, c := range n.Children {
			out[c.Nibble] = Side{Hash: c.Hash}
		}
	}
	return out
}

// Fetch returns the nodes at prefixes of one replica's trie of a partition,
// in the order asked (Empty where there is none).
type Fetch func(prefixes [][]byte) ([]Node, error)

// Diff walks two replicas' tries of one partition, level by level, from the
// roots, and returns the keys of items local holds that remote lacks or
// holds with another value (push) and the converse (pull). Each level costs
// at most one call of each Fetch, for the sides not known yet; equal
// subtrees are never fetched.
func Diff(local, remote Fetch) (push, pull [][]byte, err error) {
	level := []Pair{{Local: Side{}, Remote: Side{}}}
	for len(level) > 0 {
		if err := fill(level, local, func(p *Pair) *Side { return &p.Local }); err != nil {
			return nil, nil, err
		}
		if err := fill(level, remote, func(p *Pair) *Side { return &p.Remote }); err != nil {
			return nil, nil, err
		}
		var next []Pair
		for _, p := range level {
			ps, pl, nx := Compare(p)
			push, pull, next = append(push, ps...), append(pull, pl...), append(next, nx...)
		}
		level = next
	}
	return push, pull, nil
}

// fill fetches the unknown side picked by side of every pair.
func fill(level []Pair, fetch Fetch, side func(*Pair) *Side) error {
	var idx []int
	var prefixes [][]byte
	for i := range level {
		if !side(&level[i]).Known {
			idx, prefixes = append(idx, i), append(prefixes, level[i].Prefix)
		}
	}
	if len(idx) == 0 {
		return nil
	}
	nodes, err := fetch(prefixes)
	if err != nil {
		return err
	}
	if len(nodes) != len(prefixes) {
		return fmt.Errorf("merkle diff: fetched %d nodes for %d prefixes", len(nodes), len(prefixes))
	}
	for j, i := range idx {
		*side(&level[i]) = known(nodes[j])
	}
	return nil
}
