package table

import (
	"context"
	"encoding/binary"
	"fmt"
	"time"

	"github.com/gogarage/garage/node/rt"
)

// RPC endpoints of the register store.
const (
	EndpointGet = "table/reg/get"
	EndpointPut = "table/reg/put"
)

// Options tunes a Store.
type Options struct {
	// Tree is the KV tree holding the registers ("registers" if empty).
	Tree string
	// Timeout bounds each RPC (2 s if zero).
	Timeout time.Duration
	// NaiveTimestamps stamps writes with the local clock alone, skipping
	// the read of the newest version. It exists only as a negative control
	// for the checker: under clock skew it loses writes.
	NaiveTimestamps bool
}

// Store is one node's view of the replicated register store: it serves its
// local replica over RPC and coordinates quorum reads and writes.
type Store struct {
	env  rt.Env
	repl Replication
	opts Options
}

// New creates the store of the node env belongs to and registers its RPC
// handlers.
func New(env rt.Env, repl Replication, opts Options) *Store {
	if opts.Tree == "" {
		opts.Tree = "registers"
	}
	if opts.Timeout == 0 {
		opts.Timeout = 2 * time.Second
	}
	s := &Store{env: env, repl: repl, opts: opts}
	env.Net.Handle(EndpointGet, s.handleGet)
	env.Net.Handle(EndpointPut, s.handlePut)
	return s
}

// Local returns this node's replica of key (the zero Register if absent).
func (s *Store) Local(key string) (Register, error) {
	var r Register
	err := s.env.KV.View(func(tx rt.ReadTx) error {
		b, err := tx.Get(s.opts.Tree, []byte(key))
		if err != nil || b == nil {
			return err
		}
		r, err = DecodeRegister(b)
		return err
	})
	if err != nil {
		return Register{}, fmt.Errorf("local get %q: %w", key, err)
	}
	return r, nil
}

// Apply merges r into this node's replica of key, in one transaction.
func (s *Store) Apply(key string, r Register) error {
	if err := rt.Fail(s.env.Faults, "meta-commit-before"); err != nil {
		return fmt.Errorf("apply %q: %w", key, err)
	}
	err := s.env.KV.Update(func(tx rt.Tx) error {
		old := Register{}
		b, err := tx.Get(s.opts.Tree, []byte(key))
		if err != nil {
			return err
		}
		if b != nil {
			if old, err = DecodeRegister(b); err != nil {
				return err
			}
		}
		if !r.Newer(old) {
			return nil
		}
		return tx.Put(s.opts.Tree, []byte(key), r.Encode(nil))
	})
	if err != nil {
		return fmt.Errorf("apply %q: %w", key, err)
	}
	return rt.Fail(s.env.Faults, "meta-commit-after")
}

func (s *Store) handleGet(_ context.Context, _ rt.NodeID, req []byte) ([]byte, error) {
	r, err := s.Local(string(req))
	if err != nil {
		return nil, err
	}
	return r.Encode(nil), nil
}

func (s *Store) handlePut(_ context.Context, _ rt.NodeID, req []byte) ([]byte, error) {
	key, r, err := decodePut(req)
	if err != nil {
		return nil, err
	}
	return nil, s.Apply(key, r)
}

func encodePut(key string, r Register) []byte {
	b := binary.AppendUvarint(nil, uint64(len(key)))
	b = append(b, key...)
	return r.Encode(b)
}

func decodePut(b []byte) (string, Register, error) {
	n, k := binary.Uvarint(b)
	if k <= 0 || uint64(len(b)-k) < n {
		return "", Register{}, fmt.Errorf("%w: bad key length", errCorrupt)
	}
	key := string(b[k : k+int(n)])
	r, err := DecodeRegister(b[k+int(n):])
	return key, r, err
}
