package table

import (
	"context"
	"encoding/binary"
	"fmt"

	"github.com/gogarage/garage/node/fail"
	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/node/table/merkle"
)

// endpoints names the RPC endpoints of one table: "table/<name>/<op>".
type endpoints struct {
	get, rng, insert, roots, nodes, pull, gcdel string
}

func endpointsOf(name string) endpoints {
	p := "table/" + name + "/"
	return endpoints{get: p + "get", rng: p + "range", insert: p + "insert", roots: p + "roots",
		nodes: p + "merkle", pull: p + "pull", gcdel: p + "gc-delete"}
}

func (t *Table[E]) register() {
	t.env.Net.Handle(t.ep.get, t.handleGet)
	t.env.Net.Handle(t.ep.rng, t.handleRange)
	t.env.Net.Handle(t.ep.insert, t.handleInsert)
	t.env.Net.Handle(t.ep.roots, t.handleRoots)
	t.env.Net.Handle(t.ep.nodes, t.handleNodes)
	t.env.Net.Handle(t.ep.pull, t.handlePull)
	t.env.Net.Handle(t.ep.gcdel, t.handleGCDelete)
}

// handleGet replies with the optional stored encoding of the key in req.
// It encodes the value straight from the transaction: reads are most of
// the traffic.
func (t *Table[E]) handleGet(_ context.Context, _ rt.NodeID, req []byte) ([]byte, error) {
	var rep []byte
	err := t.env.KV.View(func(tx rt.ReadTx) error {
		b, err := tx.Get(t.trees.data, req)
		if err == nil {
			rep = appendOpt(make([]byte, 0, 1+binary.MaxVarintLen64+len(b)), b)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// handleInsert merges a list of encoded entries. For a Stamper schema it
// replies with the pre-merge stamp of each entry; otherwise with nothing.
func (t *Table[E]) handleInsert(_ context.Context, _ rt.NodeID, req []byte) ([]byte, error) {
	r := reader{b: req}
	encs := r.list()
	if err := r.done(); err != nil {
		return nil, err
	}
	stamps, err := t.applyEncoded(encs)
	if _, ok := t.schema.(Stamper[E]); !ok || err != nil {
		return nil, err
	}
	return appendStamps(make([]byte, 0, binary.MaxVarintLen64*(1+len(stamps))), stamps), nil
}

func appendStamps(b []byte, stamps []uint64) []byte {
	b = binary.AppendUvarint(b, uint64(len(stamps)))
	for _, s := range stamps {
		b = binary.AppendUvarint(b, s)
	}
	return b
}

// maxStamp returns the greatest stamp of an insert reply (0 if it has
// none).
func maxStamp(rep []byte) (uint64, error) {
	if len(rep) == 0 {
		return 0, nil
	}
	r := reader{b: rep}
	n := r.uvarint()
	if n > uint64(len(rep)) {
		return 0, fmt.Errorf("%w: bad stamp count", errMessage)
	}
	var m uint64
	for range n {
		m = max(m, r.uvarint())
	}
	return m, r.done()
}

// handlePull replies with the optional stored encodings of a list of keys.
func (t *Table[E]) handlePull(_ context.Context, _ rt.NodeID, req []byte) ([]byte, error) {
	r := reader{b: req}
	keys := r.list()
	if err := r.done(); err != nil {
		return nil, err
	}
	vs, err := t.getValues(keys)
	if err != nil {
		return nil, err
	}
	out := binary.AppendUvarint(nil, uint64(len(vs)))
	for _, v := range vs {
		out = appendOpt(out, v)
	}
	return out, nil
}

func decodeOpts(b []byte) ([][]byte, error) {
	r := reader{b: b}
	n := r.uvarint()
	if n > uint64(len(b)) {
		return nil, fmt.Errorf("%w: bad count", errMessage)
	}
	out := make([][]byte, n)
	for i := range out {
		out[i] = r.opt()
	}
	return out, r.done()
}

// handleRoots drains the Merkle todo queue, then replies with the roots of
// the partitions listed in req, so that a peer's diff sees every entry
// this node stored before the request.
func (t *Table[E]) handleRoots(ctx context.Context, _ rt.NodeID, req []byte) ([]byte, error) {
	r := reader{b: req}
	nums := make([]uint16, r.count())
	for i := range nums {
		nums[i] = partNum(r.bytes())
	}
	if err := r.done(); err != nil {
		return nil, err
	}
	if err := t.Drain(ctx); err != nil {
		return nil, err
	}
	hs, err := t.rootsOf(nums)
	if err != nil {
		return nil, err
	}
	out := binary.AppendUvarint(make([]byte, 0, binary.MaxVarintLen64+len(hs)*(1+len(merkle.Hash{}))), uint64(len(hs)))
	for _, h := range hs {
		out = appendBytes(out, h[:]) // appendList's encoding, without a slice per hash
	}
	return out, nil
}

// handleNodes replies with the Merkle nodes at the prefixes of one
// partition.
func (t *Table[E]) handleNodes(_ context.Context, _ rt.NodeID, req []byte) ([]byte, error) {
	if err := rt.Fail(t.env.Faults, fail.MerkleSync); err != nil {
		return nil, err
	}
	r := reader{b: req}
	part := partNum(r.bytes())
	prefixes := r.list()
	if err := r.done(); err != nil {
		return nil, err
	}
	nodes, err := t.localNodes(part, prefixes)
	if err != nil {
		return nil, err
	}
	out := make([][]byte, len(nodes))
	for i, n := range nodes {
		out[i] = n.Encode(nil)
	}
	return appendList(nil, out), nil
}

// handleGCDelete deletes each listed (value hash || key) whose stored value
// still has that hash: phase 2 of tombstone GC.
func (t *Table[E]) handleGCDelete(_ context.Context, _ rt.NodeID, req []byte) ([]byte, error) {
	r := reader{b: req}
	items := r.list()
	if err := r.done(); err != nil {
		return nil, err
	}
	return nil, t.deleteItems(items)
}

// deleteItems runs deleteIfEqual on each (value hash || key) in one
// transaction.
func (t *Table[E]) deleteItems(items [][]byte) error {
	deleted := false
	err := t.env.KV.Update(func(tx rt.Tx) error {
		for _, it := range items {
			if len(it) < 64 {
				return fmt.Errorf("%w: short gc item", errMessage)
			}
			d, err := t.deleteIfEqual(tx, it[32:], merkle.Hash(it[:32]))
			if err != nil {
				return err
			}
			deleted = deleted || d
		}
		return nil
	})
	if deleted {
		t.wake()
	}
	return err
}

func partBytes(p uint16) []byte { return binary.BigEndian.AppendUint16(nil, p) }

// appendParts appends the list of parts as appendList of their partBytes
// would, without a slice per partition.
func appendParts(dst []byte, parts []uint16) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(parts)))
	for _, p := range parts {
		dst = binary.BigEndian.AppendUint16(append(dst, 2), p)
	}
	return dst
}

func partNum(b []byte) uint16 {
	if len(b) != 2 {
		return 0xffff
	}
	return binary.BigEndian.Uint16(b)
}

// localNodes reads the Merkle nodes at prefixes of partition part.
func (t *Table[E]) localNodes(part uint16, prefixes [][]byte) ([]merkle.Node, error) {
	out := make([]merkle.Node, len(prefixes))
	err := t.env.KV.View(func(tx rt.ReadTx) error {
		for i, p := range prefixes {
			n, err := t.trie.Get(tx, part, p)
			if err != nil {
				return err
			}
			out[i] = n
		}
		return nil
	})
	return out, err
}
