package cluster

import (
	"context"
	"fmt"

	"github.com/gogarage/garage/node/crdt"
	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/node/table"
)

// register is the entry of the test register table: a key and its
// last-writer-wins value, like node/daemon's debug table.
type register struct {
	Key crdt.Bytes
	Reg crdt.LWW[crdt.Bytes]
}

func (e register) Merge(o register) register { return register{Key: e.Key, Reg: e.Reg.Merge(o.Reg)} }

func (e register) Encode(b []byte) []byte { return e.Reg.Encode(e.Key.Encode(b)) }

func (register) Decode(b []byte) (register, []byte, error) {
	key, rest, err := crdt.Bytes(nil).Decode(b)
	if err != nil {
		return register{}, nil, fmt.Errorf("decode register key: %w", err)
	}
	reg, rest, err := crdt.LWW[crdt.Bytes]{}.Decode(rest)
	if err != nil {
		return register{}, nil, fmt.Errorf("decode register: %w", err)
	}
	return register{Key: key, Reg: reg}, rest, nil
}

func (e register) PartitionKey() []byte { return e.Key }
func (e register) SortKey() []byte      { return nil }

type registerSchema struct{}

func (registerSchema) Name() string                              { return "registers" }
func (registerSchema) IsTombstone(register) bool                 { return false }
func (registerSchema) Updated(rt.Tx, *register, *register) error { return nil }

// registers is one node's handle on the register table.
type registers struct {
	clock rt.Clock
	t     *table.Table[register]
}

func openRegisters(env rt.Env, c *Cluster, cfg table.Config) *registers {
	return &registers{clock: env.Clock, t: table.Open[register](env, registerSchema{}, Sharded(c, table.Consistent), cfg)}
}

// put writes val under key, stamped after the newest version a read
// quorum knows (Garage's newest + 1 rule).
func (r *registers) put(ctx context.Context, key, val string) error {
	cur, _, err := r.t.Get(ctx, []byte(key), nil)
	if err != nil {
		return fmt.Errorf("put %s: read newest: %w", key, err)
	}
	reg := cur.Reg.Update(uint64(r.clock.Now().UnixMilli()), crdt.Bytes(val))
	if err := r.t.Insert(ctx, register{Key: crdt.Bytes(key), Reg: reg}); err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	return nil
}

// get reads key from a read quorum.
func (r *registers) get(ctx context.Context, key string) (string, error) {
	e, _, err := r.t.Get(ctx, []byte(key), nil)
	if err != nil {
		return "", fmt.Errorf("get %s: %w", key, err)
	}
	return string(e.Reg.Value()), nil
}
