package experiments

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/node/crdt"
	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/node/table"
)

// setRow is one element of a set in the generic table: partition key the
// set, sort key the element, and a last-writer-wins marker ("1" present,
// "" removed: a tombstone).
type setRow struct {
	Set, Elem string
	V         crdt.LWW[crdt.String]
}

var _ table.Entry[setRow] = setRow{}

func (r setRow) PartitionKey() []byte { return []byte(r.Set) }
func (r setRow) SortKey() []byte      { return []byte(r.Elem) }
func (r setRow) present() bool        { return r.V.Value() != "" }

// Merge keeps the newer marker of the same element.
func (r setRow) Merge(o setRow) setRow { r.V = r.V.Merge(o.V); return r }

// Encode appends the canonical encoding: set, element, marker.
func (r setRow) Encode(b []byte) []byte {
	b = crdt.String(r.Set).Encode(b)
	b = crdt.String(r.Elem).Encode(b)
	return r.V.Encode(b)
}

// Decode reads what Encode wrote.
func (setRow) Decode(b []byte) (setRow, []byte, error) {
	set, b, err := crdt.String("").Decode(b)
	if err != nil {
		return setRow{}, nil, fmt.Errorf("set row: %w", err)
	}
	elem, b, err := crdt.String("").Decode(b)
	if err != nil {
		return setRow{}, nil, fmt.Errorf("set row: %w", err)
	}
	v, b, err := crdt.LWW[crdt.String]{}.Decode(b)
	return setRow{Set: string(set), Elem: string(elem), V: v}, b, err
}

func setSchema() table.Spec[setRow] {
	return table.Spec[setRow]{Table: "sets", Tombstone: func(r setRow) bool { return !r.present() }}
}

// setLayout is the layout of the set table: every node a storage node of
// its zone, RF 3 (or fewer nodes), applied as version 1.
func setLayout(ids []rt.NodeID, zones []string, rf int, mode table.Mode) (*table.Static, error) {
	h, err := layout.NewHistory(rf, layout.DefaultPartitionBits)
	if err != nil {
		return nil, fmt.Errorf("set layout: %w", err)
	}
	for i, id := range ids {
		if err := h.Assign(id, layout.StorageRole(zones[i], 1e12), 1); err != nil {
			return nil, fmt.Errorf("set layout: %w", err)
		}
	}
	if _, err := h.Apply(1, 2); err != nil {
		return nil, fmt.Errorf("set layout: %w", err)
	}
	return table.NewStatic(h, mode), nil
}

// tableSet is the SetStore over the generic table: adds and removes are
// quorum inserts, a page is one GetRange of live entries.
type tableSet struct {
	t     func() *table.Table[setRow]
	clock rt.Clock
}

var _ SetStore = (*tableSet)(nil)

// Add inserts elem as present. Elements are added once, so the local
// clock is a fine timestamp.
func (ts *tableSet) Add(ctx context.Context, set, elem string) error {
	now := uint64(ts.clock.Now().UnixMilli())
	return ts.t().Insert(ctx, setRow{Set: set, Elem: elem, V: crdt.NewLWW(now, crdt.String("1"))})
}

// Remove writes a tombstone newer than what a read quorum holds (Garage's
// rule for new versions), so that a skewed clock cannot lose it.
func (ts *tableSet) Remove(ctx context.Context, set, elem string) error {
	cur, _, err := ts.t().Get(ctx, []byte(set), []byte(elem))
	if err != nil {
		return fmt.Errorf("remove %s/%s: %w", set, elem, err)
	}
	stamp := table.NextTimestamp(uint64(ts.clock.Now().UnixMilli()), cur.V.Time())
	return ts.t().Insert(ctx, setRow{Set: set, Elem: elem, V: crdt.NewLWW(stamp, crdt.String(""))})
}

// ListPage returns the live elements after cursor, at most limit; the
// next cursor is the last element when the page is full.
func (ts *tableSet) ListPage(ctx context.Context, set, cursor string, limit int) ([]string, string, error) {
	var start []byte
	if cursor != "" {
		start = append([]byte(cursor), 0) // the first key after cursor
	}
	rows, err := ts.t().GetRange(ctx, []byte(set), start, table.Filter{Live: true}, limit, false)
	if err != nil {
		return nil, "", fmt.Errorf("list %s from %q: %w", set, cursor, err)
	}
	elems := make([]string, 0, len(rows))
	for _, r := range rows {
		if bytes.Equal(r.PartitionKey(), []byte(set)) && r.present() {
			elems = append(elems, r.Elem)
		}
	}
	if len(rows) < limit {
		return elems, "", nil
	}
	return elems, rows[len(rows)-1].Elem, nil
}

// tableConfig is the set table's configuration in the simulator:
// anti-entropy every few seconds, so that the liveness phase sees it.
func tableConfig() table.Config {
	return table.Config{SyncInterval: 5 * time.Second, SyncRetry: time.Second}
}
