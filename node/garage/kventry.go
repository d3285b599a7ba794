package garage

import (
	"fmt"

	"github.com/gogarage/garage/node/crdt"
	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/node/table"
)

// kvTableName names the debug table: its KV trees and RPC endpoints.
const kvTableName = "debug_kv"

// kvValue is what a register holds: a value or a tombstone.
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

// kvEntry is one row of the debug table: a partition key, a sort key and
// their last-writer-wins register.
type kvEntry struct {
	Part, Sort crdt.Bytes
	Reg        crdt.LWW[kvValue]
}

var _ table.Entry[kvEntry] = kvEntry{}

// Merge keeps the newer register; both entries have the same keys.
func (e kvEntry) Merge(o kvEntry) kvEntry {
	e.Reg = e.Reg.Merge(o.Reg)
	return e
}

// Encode appends the partition key, the sort key and the register.
func (e kvEntry) Encode(b []byte) []byte { return e.Reg.Encode(e.Sort.Encode(e.Part.Encode(b))) }

// Decode reads an entry.
func (kvEntry) Decode(b []byte) (kvEntry, []byte, error) {
	part, rest, err := crdt.Bytes(nil).Decode(b)
	if err != nil {
		return kvEntry{}, nil, fmt.Errorf("decode debug entry partition key: %w", err)
	}
	sort, rest, err := crdt.Bytes(nil).Decode(rest)
	if err != nil {
		return kvEntry{}, nil, fmt.Errorf("decode debug entry sort key: %w", err)
	}
	reg, rest, err := crdt.LWW[kvValue]{}.Decode(rest)
	if err != nil {
		return kvEntry{}, nil, fmt.Errorf("decode debug entry: %w", err)
	}
	return kvEntry{Part: part, Sort: sort, Reg: reg}, rest, nil
}

// PartitionKey places the entry.
func (e kvEntry) PartitionKey() []byte { return e.Part }

// SortKey orders the entry within its partition key.
func (e kvEntry) SortKey() []byte { return e.Sort }

// live reports whether the entry holds a value (not a tombstone).
func (e kvEntry) live() bool { return !e.Reg.Value().Deleted }

// kvSchema is the schema of the debug table.
type kvSchema struct{}

func (kvSchema) Name() string                            { return kvTableName }
func (kvSchema) IsTombstone(e kvEntry) bool              { return !e.live() }
func (kvSchema) Updated(rt.Tx, *kvEntry, *kvEntry) error { return nil }

// Stamp is the register's timestamp: the debug table's writes learn the
// newest one from their write quorum (table.InsertNewest).
func (kvSchema) Stamp(e kvEntry) uint64 { return e.Reg.Time() }
