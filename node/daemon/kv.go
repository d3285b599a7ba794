package daemon

import (
	"context"
	"fmt"

	"github.com/gogarage/garage/node/crdt"
	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/node/table"
)

// kvTableName names the debug key-value table: its KV trees and endpoints.
const kvTableName = "debug_kv"

// kvValue is what a debug key holds: a value or a tombstone.
type kvValue struct {
	Deleted bool
	Data    crdt.Bytes
}

// Encode appends a flag byte (1: tombstone) and the data.
func (v kvValue) Encode(b []byte) []byte {
	flag := byte(0)
	if v.Deleted {
		flag = 1
	}
	return v.Data.Encode(append(b, flag))
}

// Decode reads a kvValue; a tombstone with data is not canonical.
func (kvValue) Decode(b []byte) (kvValue, []byte, error) {
	if len(b) == 0 || b[0] > 1 {
		return kvValue{}, nil, fmt.Errorf("decode debug value: bad flag: %w", crdt.ErrMalformed)
	}
	data, rest, err := crdt.Bytes(nil).Decode(b[1:])
	if err != nil {
		return kvValue{}, nil, fmt.Errorf("decode debug value: %w", err)
	}
	v := kvValue{Deleted: b[0] == 1, Data: data}
	if v.Deleted && len(data) > 0 {
		return kvValue{}, nil, fmt.Errorf("decode debug value: tombstone with data: %w", crdt.ErrMalformed)
	}
	return v, rest, nil
}

// kvEntry is one row of the debug table: a key and its last-writer-wins
// register.
type kvEntry struct {
	Key crdt.Bytes
	Reg crdt.LWW[kvValue]
}

var _ table.Entry[kvEntry] = kvEntry{}

// Merge keeps the newer register; both entries have the same key.
func (e kvEntry) Merge(o kvEntry) kvEntry { return kvEntry{Key: e.Key, Reg: e.Reg.Merge(o.Reg)} }

// Encode appends the key and the register.
func (e kvEntry) Encode(b []byte) []byte { return e.Reg.Encode(e.Key.Encode(b)) }

// Decode reads an entry.
func (kvEntry) Decode(b []byte) (kvEntry, []byte, error) {
	key, rest, err := crdt.Bytes(nil).Decode(b)
	if err != nil {
		return kvEntry{}, nil, fmt.Errorf("decode debug entry key: %w", err)
	}
	reg, rest, err := crdt.LWW[kvValue]{}.Decode(rest)
	if err != nil {
		return kvEntry{}, nil, fmt.Errorf("decode debug entry: %w", err)
	}
	return kvEntry{Key: key, Reg: reg}, rest, nil
}

// PartitionKey places the entry by its key.
func (e kvEntry) PartitionKey() []byte { return e.Key }

// SortKey is empty: one entry per key.
func (e kvEntry) SortKey() []byte { return nil }

// kvSchema is the schema of the debug table.
type kvSchema struct{}

func (kvSchema) Name() string                            { return kvTableName }
func (kvSchema) IsTombstone(e kvEntry) bool              { return e.Reg.Value().Deleted }
func (kvSchema) Updated(rt.Tx, *kvEntry, *kvEntry) error { return nil }

// kv is the debug key-value store the CLI's `debug` commands use: a
// generic table of LWW registers, sharded by the layout, with quorum reads
// and writes, read repair, anti-entropy and tombstone GC.
type kv struct {
	clock rt.Clock
	t     *table.Table[kvEntry]
}

func openKV(env rt.Env, lay table.Layout) *kv {
	return &kv{clock: env.Clock, t: table.Open[kvEntry](env, kvSchema{}, lay, table.Config{})}
}

// get reads key from a read quorum.
func (s *kv) get(ctx context.Context, key string) (KVReply, error) {
	e, ok, err := s.t.Get(ctx, []byte(key), nil)
	if err != nil {
		return KVReply{}, fmt.Errorf("get %q: %w", key, err)
	}
	v := e.Reg.Value()
	return KVReply{TS: e.Reg.Time(), Found: ok && !v.Deleted, Deleted: ok && v.Deleted, Value: v.Data}, nil
}

// write stores v under key, stamped after the newest version a read quorum
// knows (Garage's newest + 1 rule), and returns the stamp.
func (s *kv) write(ctx context.Context, key string, v kvValue) (uint64, error) {
	cur, _, err := s.t.Get(ctx, []byte(key), nil)
	if err != nil {
		return 0, fmt.Errorf("write %q: read newest version: %w", key, err)
	}
	reg := cur.Reg.Update(uint64(s.clock.Now().UnixMilli()), v)
	if err := s.t.Insert(ctx, kvEntry{Key: crdt.Bytes(key), Reg: reg}); err != nil {
		return 0, fmt.Errorf("write %q: %w", key, err)
	}
	return reg.Time(), nil
}
