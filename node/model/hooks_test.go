package model

import (
	"context"
	"encoding/binary"
	"fmt"
	"testing"
	"time"

	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/node/table"
	"github.com/gogarage/garage/sim"
)

// refTree is where fakeRefs keeps its counts.
const refTree = "test/refs"

// fakeRefs counts references in a tree of the writing transaction, as
// the block manager does.
type fakeRefs struct{}

func (fakeRefs) IncRef(tx rt.Tx, h Hash) error { return addRef(tx, h, 1) }
func (fakeRefs) DecRef(tx rt.Tx, h Hash) error { return addRef(tx, h, -1) }

func addRef(tx rt.Tx, h Hash, d int64) error {
	b, err := tx.Get(refTree, h[:])
	if err != nil {
		return err
	}
	var n int64
	if len(b) == 8 {
		n = int64(binary.BigEndian.Uint64(b))
	}
	if n+d < 0 {
		return fmt.Errorf("refcount of %s below zero", h)
	}
	return tx.Put(refTree, h[:], binary.BigEndian.AppendUint64(nil, uint64(n+d)))
}

// world is three nodes, each holding every entry (RF 3), with the object
// model's tables.
type world struct {
	t    *testing.T
	w    *sim.World
	ids  []rt.NodeID
	tabs map[rt.NodeID]*Tables
}

func newWorld(t *testing.T, seed uint64) *world {
	w := sim.New(sim.Config{Seed: seed, Scenario: t.Name()})
	t.Cleanup(w.Close)
	h, err := layout.NewHistory(3, 4)
	if err != nil {
		t.Fatal(err)
	}
	x := &world{t: t, w: w, ids: []rt.NodeID{"n1", "n2", "n3"}, tabs: map[rt.NodeID]*Tables{}}
	for i, id := range x.ids {
		if err := h.Assign(id, layout.StorageRole(fmt.Sprint("z", i), 1e12), 1); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := h.Apply(1, 2); err != nil {
		t.Fatal(err)
	}
	st := table.NewStatic(h, table.Consistent)
	cfg := table.Config{PartitionBits: 4, SyncInterval: 30 * time.Second}
	for i, id := range x.ids {
		lay := func() table.Layout { return st.For(id) }
		w.AddNode(id, fmt.Sprint("z", i), func(env rt.Env) {
			x.tabs[id] = Open(env, Layouts{Sharded: lay, Full: lay}, fakeRefs{}, cfg)
		})
	}
	x.must(w.RunUntil(func() bool { return len(x.tabs) == 3 }, time.Second))
	return x
}

func (x *world) must(err error) {
	x.t.Helper()
	if err != nil {
		x.t.Fatal(err)
	}
}

func (x *world) do(fn func(ctx context.Context, t *Tables) error) {
	x.t.Helper()
	done, ferr := false, error(nil)
	x.w.Go("client", func(ctx context.Context) { ferr, done = fn(ctx, x.tabs["n1"]), true })
	x.must(x.w.RunUntil(func() bool { return done }, time.Minute))
	x.must(ferr)
}

// settle runs until no node has queued inserts left.
func (x *world) settle() {
	x.t.Helper()
	x.must(x.w.RunUntil(func() bool {
		for _, id := range x.ids {
			if n, err := x.tabs[id].Queued(); err != nil || n > 0 {
				return false
			}
		}
		return true
	}, time.Minute))
}

// refs returns the reference counts of h on every node.
func (x *world) refs(h Hash) string {
	out := ""
	for _, id := range x.ids {
		var n uint64
		x.must(x.w.Env(id).KV.View(func(tx rt.ReadTx) error {
			b, err := tx.Get(refTree, h[:])
			if len(b) == 8 {
				n = binary.BigEndian.Uint64(b)
			}
			return err
		}))
		out += fmt.Sprint(n)
	}
	return out
}

// putBlocks writes version u of (bucket, key) with blocks hs and their
// references, as the object service does.
func putBlocks(ctx context.Context, t *Tables, u UUID, link Backlink, hs ...Hash) error {
	v := NewVersion(u, link)
	var refs []BlockRef
	for i, h := range hs {
		v = v.WithBlock(0, uint64(i)*10, VersionBlock{Hash: h, Size: 10})
		refs = append(refs, BlockRef{Block: h, Version: u})
	}
	if err := t.Versions.Insert(ctx, v); err != nil {
		return err
	}
	return t.BlockRefs.InsertMany(ctx, refs)
}

func TestHookChainCollectsOverwrittenVersions(t *testing.T) {
	x := newWorld(t, 1)
	b, h1, h2 := UUID{1}, Hash{0xa1}, Hash{0xa2}
	v1 := ver(5, 10, uploading)
	x.do(func(ctx context.Context, t *Tables) error {
		if err := t.Objects.Insert(ctx, NewObject(b, "k", v1)); err != nil {
			return err
		}
		if err := putBlocks(ctx, t, v1.UUID, ObjectLink(b, "k"), h1, h2); err != nil {
			return err
		}
		v1.State = VersionState{Kind: Complete, Data: FirstBlock, Meta: Meta{Size: 20}, Block: h1}
		return t.Objects.Insert(ctx, NewObject(b, "k", v1))
	})
	x.settle()
	if got := x.refs(h1) + " " + x.refs(h2); got != "111 111" {
		t.Fatalf("reference counts of a complete version: %s, want 111 111", got)
	}
	x.do(func(ctx context.Context, t *Tables) error {
		c, err := t.Counts(ctx, b)
		if err == nil && c != (Counts{Objects: 1, Bytes: 20}) {
			err = fmt.Errorf("bucket counts %+v, want 1 object of 20 bytes", c)
		}
		return err
	})
	x.do(func(ctx context.Context, t *Tables) error {
		return t.Objects.Insert(ctx, NewObject(b, "k", ver(6, 11, inline("new"))))
	})
	x.settle()
	if got := x.refs(h1) + " " + x.refs(h2); got != "000 000" {
		t.Errorf("reference counts after an overwrite: %s, want 000 000", got)
	}
	x.do(func(ctx context.Context, t *Tables) error {
		v, ok, err := t.Versions.Get(ctx, v1.UUID[:], nil)
		if err == nil && (!ok || !bool(v.Deleted)) {
			err = fmt.Errorf("version of the overwritten object: found %v deleted %v", ok, v.Deleted)
		}
		return err
	})
}

func TestHookChainCollectsAbortedUploads(t *testing.T) {
	x := newWorld(t, 2)
	b, h1, h2, h3 := UUID{1}, Hash{0xb1}, Hash{0xb2}, Hash{0xb3}
	up, p1, p2 := ver(7, 10, multipart), UUID{0x71}, UUID{0x72}
	x.do(func(ctx context.Context, t *Tables) error {
		if err := t.Objects.Insert(ctx, NewObject(b, "big", up)); err != nil {
			return err
		}
		m := NewMPU(up.UUID, up.TS, b, "big").
			WithPart(1, 11, MPUPart{Version: p1, ETag: "e1", Size: 20}).
			WithPart(2, 12, MPUPart{Version: p2, ETag: "e2", Size: 10})
		if err := t.MPUs.Insert(ctx, m); err != nil {
			return err
		}
		if err := putBlocks(ctx, t, p1, UploadLink(up.UUID), h1, h2); err != nil {
			return err
		}
		return putBlocks(ctx, t, p2, UploadLink(up.UUID), h3)
	})
	x.settle()
	if got := x.refs(h1) + x.refs(h3); got != "111111" {
		t.Fatalf("reference counts of uploaded parts: %s, want 111111", got)
	}
	x.do(func(ctx context.Context, t *Tables) error {
		c, err := t.Counts(ctx, b)
		if err == nil && c != (Counts{Uploads: 1}) {
			err = fmt.Errorf("bucket counts %+v, want 1 upload", c)
		}
		return err
	})
	x.do(func(ctx context.Context, t *Tables) error {
		return t.Objects.Insert(ctx, NewObject(b, "big", ver(7, 10, aborted)))
	})
	x.settle()
	for _, h := range []Hash{h1, h2, h3} {
		if got := x.refs(h); got != "000" {
			t.Errorf("reference counts of %s after the abort: %s, want 000", h, got)
		}
	}
	x.do(func(ctx context.Context, t *Tables) error {
		m, _, err := t.MPUs.Get(ctx, up.UUID[:], nil)
		if err == nil && !bool(m.Deleted) {
			err = fmt.Errorf("the aborted upload is not deleted")
		}
		return err
	})
}

func TestStaleUploadsIndex(t *testing.T) {
	x := newWorld(t, 3)
	b := UUID{1}
	x.do(func(ctx context.Context, t *Tables) error {
		for i, v := range []ObjectVersion{ver(1, 100, uploading), ver(2, 200, uploading), ver(3, 300, multipart)} {
			if err := t.Objects.Insert(ctx, NewObject(b, fmt.Sprint("k", i), v)); err != nil {
				return err
			}
		}
		return t.Objects.Insert(ctx, NewObject(b, "k1", ver(2, 200, aborted)))
	})
	for _, id := range x.ids {
		got, err := x.tabs[id].StaleUploads(1000, 10)
		x.must(err)
		if len(got) != 1 || got[0].Key != "k0" || got[0].TS != 100 || got[0].UUID != (UUID{1}) {
			t.Errorf("%s: stale uploads %+v, want only k0's", id, got)
		}
		if got, _ := x.tabs[id].StaleUploads(100, 10); len(got) != 0 {
			t.Errorf("%s: uploads stale before their start: %+v", id, got)
		}
	}
}
