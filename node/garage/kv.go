package garage

import (
	"context"
	"fmt"

	"github.com/gogarage/garage/node/crdt"
	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/node/table"
	"github.com/gogarage/garage/node/table/merkle"
)

// KV is the node's debug table: last-writer-wins registers addressed by a
// partition key and a sort key, sharded by the layout, with quorum reads
// and writes, read repair, anti-entropy and tombstone GC. Its methods
// coordinate from this node and are safe for use by every task.
type KV struct {
	clock rt.Clock
	naive bool
	t     *table.Table[kvEntry]
}

// Reg is a register as read: its timestamp (ms), whether it was ever
// written, whether it is deleted, and its value.
type Reg struct {
	TS      uint64
	Found   bool
	Deleted bool
	Value   []byte
}

func openKV(env rt.Env, lay table.Layout, cfg Config) *KV {
	return &KV{clock: env.Clock, naive: cfg.Controls.NaiveTimestamps,
		t: table.Open[kvEntry](env, kvSchema{}, lay, cfg.Tables)}
}

// Get reads the register (pk, sk) from a read quorum.
func (s *KV) Get(ctx context.Context, pk, sk string) (Reg, error) {
	e, ok, err := s.t.Get(ctx, []byte(pk), []byte(sk))
	if err != nil {
		return Reg{}, fmt.Errorf("get %s: %w", name(pk, sk), err)
	}
	v := e.Reg.Value()
	return Reg{TS: e.Reg.Time(), Found: ok && !v.Deleted, Deleted: ok && v.Deleted, Value: v.Data}, nil
}

// Put stores value under (pk, sk) and returns its timestamp.
func (s *KV) Put(ctx context.Context, pk, sk string, value []byte) (uint64, error) {
	if value == nil {
		value = []byte{}
	}
	return s.write(ctx, pk, sk, kvValue{Data: value})
}

// Delete writes a tombstone under (pk, sk) and returns its timestamp.
func (s *KV) Delete(ctx context.Context, pk, sk string) (uint64, error) {
	return s.write(ctx, pk, sk, kvValue{Deleted: true})
}

// write stores v under Garage's timestamp rule max(now, newest + 1) in one
// round trip in the common case: it stamps v after the clock and after
// this node's replica of the register (free knowledge), and the replicas
// of the write quorum report the newest stamp they held
// (table.InsertNewest). Every write quorum meets every other, so that
// stamp is at least that of every write acknowledged before this one
// began: if it is not older than v's, v may lose to one of them, and v is
// written again at newest + 1 (the first copy loses to the second in the
// merge). It returns the stamp that counts. Naive timestamps (a negative
// control) stamp with the clock alone and never write again.
func (s *KV) write(ctx context.Context, pk, sk string, v kvValue) (uint64, error) {
	now := uint64(s.clock.Now().UnixMilli())
	var cur kvEntry
	if !s.naive {
		cur, _, _ = s.t.LocalGet([]byte(pk), []byte(sk)) // absent or unreadable: the clock alone
	}
	e := kvEntry{Part: crdt.Bytes(pk), Sort: crdt.Bytes(sk), Reg: cur.Reg.Update(now, v)}
	newest, err := s.t.InsertNewest(ctx, e)
	if err != nil {
		return 0, fmt.Errorf("write %s: %w", name(pk, sk), err)
	}
	if s.naive || newest < e.Reg.Time() {
		return e.Reg.Time(), nil
	}
	e.Reg = crdt.NewLWW(crdt.NextTimestamp(now, newest), v)
	if _, err := s.t.InsertNewest(ctx, e); err != nil {
		return 0, fmt.Errorf("write %s: again after newer stamp %d: %w", name(pk, sk), newest, err)
	}
	return e.Reg.Time(), nil
}

// Item is one live entry of a listing.
type Item struct {
	Sort  string
	TS    uint64
	Value []byte
}

// List returns the live entries of partition key pk whose sort key comes
// after after ("" for the first), at most limit of them (at least 1), and
// the cursor of the next page: the last sort key returned when the page is
// full, "" at the end.
func (s *KV) List(ctx context.Context, pk, after string, limit int) ([]Item, string, error) {
	limit = max(limit, 1)
	var start []byte
	if after != "" {
		start = append([]byte(after), 0) // the first sort key after it
	}
	es, err := s.t.GetRange(ctx, []byte(pk), start, table.Filter{Live: true}, limit, false)
	if err != nil {
		return nil, "", fmt.Errorf("list %q after %q: %w", pk, after, err)
	}
	items := make([]Item, 0, len(es))
	for _, e := range es {
		items = append(items, Item{Sort: string(e.Sort), TS: e.Reg.Time(), Value: e.Reg.Value().Data})
	}
	if len(es) < limit {
		return items, "", nil
	}
	return items, items[len(items)-1].Sort, nil
}

// LocalCopy returns the canonical encoding of this node's replica of (pk,
// sk), or nil if it holds none: what convergence checks compare.
func (s *KV) LocalCopy(pk, sk string) ([]byte, error) {
	e, ok, err := s.t.LocalGet([]byte(pk), []byte(sk))
	if err != nil || !ok {
		return nil, err
	}
	return crdt.Marshal(e), nil
}

// Drain applies the pending Merkle updates of the table's replica.
func (s *KV) Drain(ctx context.Context) error { return s.t.Drain(ctx) }

// Roots returns the Merkle roots of the table's replica, per partition.
func (s *KV) Roots() ([]merkle.Hash, error) { return s.t.Roots() }

// name renders a register's address for errors: pk, or pk/sk.
func name(pk, sk string) string {
	if sk == "" {
		return fmt.Sprintf("%q", pk)
	}
	return fmt.Sprintf("%q/%q", pk, sk)
}
