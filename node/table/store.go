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
	if err := s.apply([]byte(key), r.Encode(nil), r); err != nil {
		return fmt.Errorf("apply %q: %w", key, err)
	}
	return nil
}

// apply merges r, whose encoding is enc, into the replica of key. enc is
// stored as is.
func (s *Store) apply(key, enc []byte, r Register) error {
	if err := rt.Fail(s.env.Faults, "meta-commit-before"); err != nil {
		return err
	}
	err := s.env.KV.Update(func(tx rt.Tx) error {
		b, err := tx.Get(s.opts.Tree, key)
		if err != nil {
			return err
		}
		old := Register{}
		if b != nil {
			if old, err = peekRegister(b); err != nil {
				return err
			}
		}
		if !r.Newer(old) {
			return nil
		}
		return tx.Put(s.opts.Tree, key, enc)
	})
	if err != nil {
		return err
	}
	return rt.Fail(s.env.Faults, "meta-commit-after")
}

// handleGet replies with the stored encoding of the key in req (that of
// the zero Register if absent), checked but not decoded.
func (s *Store) handleGet(_ context.Context, _ rt.NodeID, req []byte) ([]byte, error) {
	var rep []byte
	err := s.env.KV.View(func(tx rt.ReadTx) error {
		b, err := tx.Get(s.opts.Tree, req)
		if err != nil || b == nil {
			return err
		}
		if _, err := peekRegister(b); err != nil {
			return err
		}
		rep = append(make([]byte, 0, len(b)), b...)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("local get %q: %w", req, err)
	}
	if rep == nil {
		rep = Register{}.Encode(make([]byte, 0, registerHeader))
	}
	return rep, nil
}

// handlePut merges the register of a put request into the local replica,
// storing the request's encoding of it as is.
func (s *Store) handlePut(_ context.Context, _ rt.NodeID, req []byte) ([]byte, error) {
	key, enc, err := splitPut(req)
	if err != nil {
		return nil, err
	}
	r, err := peekRegister(enc)
	if err != nil {
		return nil, err
	}
	if err := s.apply(key, enc, r); err != nil {
		return nil, fmt.Errorf("apply %q: %w", key, err)
	}
	return nil, nil
}

// registerHeader is the size of a register encoding without its value.
const registerHeader = 9

// peekRegister decodes b like DecodeRegister but without copying the
// value: the result aliases b and lives only as long as b does.
func peekRegister(b []byte) (Register, error) {
	if len(b) < registerHeader || b[8]&^3 != 0 {
		return Register{}, fmt.Errorf("%w (%d bytes)", errCorrupt, len(b))
	}
	r := Register{TS: binary.BigEndian.Uint64(b), Deleted: b[8]&1 != 0}
	if b[8]&2 != 0 {
		r.Value = b[registerHeader:len(b):len(b)]
	}
	return r, nil
}

func encodePut(key string, r Register) []byte {
	b := make([]byte, 0, binary.MaxVarintLen64+len(key)+registerHeader+len(r.Value))
	b = binary.AppendUvarint(b, uint64(len(key)))
	b = append(b, key...)
	return r.Encode(b)
}

// splitPut splits a put request into the key and the register encoding,
// both aliasing b.
func splitPut(b []byte) (key, enc []byte, err error) {
	n, k := binary.Uvarint(b)
	if k <= 0 || uint64(len(b)-k) < n {
		return nil, nil, fmt.Errorf("%w: bad key length", errCorrupt)
	}
	return b[k : k+int(n)], b[k+int(n):], nil
}

func decodePut(b []byte) (string, Register, error) {
	key, enc, err := splitPut(b)
	if err != nil {
		return "", Register{}, err
	}
	r, err := DecodeRegister(enc)
	return string(key), r, err
}
