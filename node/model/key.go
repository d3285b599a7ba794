package model

import (
	"github.com/gogarage/garage/node/crdt"
	"github.com/gogarage/garage/node/table"
)

// KeyParams is the state of an access key that exists.
type KeyParams struct {
	// Secret is the secret key; it never changes (replicas agree).
	Secret crdt.Max[crdt.String]
	Name   crdt.LWW[crdt.String]
	// AllowCreateBucket lets the key create buckets.
	AllowCreateBucket crdt.LWW[crdt.Bool]
	// Buckets holds the key's permission on each bucket, keyed by bucket
	// id (hex); the bucket's entry holds the same, with the same stamp.
	Buckets crdt.LWWMap[crdt.String, Perm]
	// LocalAliases maps names in the key's own namespace to buckets (none
	// once removed).
	LocalAliases crdt.LWWMap[crdt.String, OptUUID]
}

// Merge merges field by field.
func (p KeyParams) Merge(o KeyParams) KeyParams {
	return KeyParams{Secret: p.Secret.Merge(o.Secret), Name: p.Name.Merge(o.Name),
		AllowCreateBucket: p.AllowCreateBucket.Merge(o.AllowCreateBucket),
		Buckets:           p.Buckets.Merge(o.Buckets), LocalAliases: p.LocalAliases.Merge(o.LocalAliases)}
}

// Encode appends every field in declaration order.
func (p KeyParams) Encode(b []byte) []byte {
	b = p.Secret.Encode(b)
	b = p.Name.Encode(b)
	b = p.AllowCreateBucket.Encode(b)
	b = p.Buckets.Encode(b)
	return p.LocalAliases.Encode(b)
}

// Decode reads KeyParams.
func (KeyParams) Decode(b []byte) (KeyParams, []byte, error) {
	d := decoder{b: b}
	p := KeyParams{Secret: read[crdt.Max[crdt.String]](&d), Name: read[crdt.LWW[crdt.String]](&d),
		AllowCreateBucket: read[crdt.LWW[crdt.Bool]](&d), Buckets: read[crdt.LWWMap[crdt.String, Perm]](&d),
		LocalAliases: read[crdt.LWWMap[crdt.String, OptUUID]](&d)}
	rest, err := d.done("key params")
	return p, rest, err
}

// Key is a row of the key table (fully replicated): an access key id and
// its parameters, or the marker of a deleted key.
type Key struct {
	ID    string
	State crdt.Deletable[KeyParams]
}

var _ table.Entry[Key] = Key{}

// NewKey returns a key with its secret and name, named at ts (ms).
func NewKey(id, secret, name string, ts uint64) Key {
	return Key{ID: id, State: crdt.Present(KeyParams{Secret: crdt.Max[crdt.String]{V: crdt.String(secret)},
		Name: crdt.NewLWW(ts, crdt.String(name))})}
}

// Params returns the key's parameters and false if it is deleted.
func (k Key) Params() (KeyParams, bool) { return k.State.Get() }

// PartitionKey is empty: the key table is one partition.
func (Key) PartitionKey() []byte { return nil }

// SortKey is the key id.
func (k Key) SortKey() []byte { return []byte(k.ID) }

// Merge merges the states of the same key.
func (k Key) Merge(o Key) Key { return Key{ID: k.ID, State: k.State.Merge(o.State)} }

// Encode appends the id and the state.
func (k Key) Encode(b []byte) []byte { return k.State.Encode(appendStr(b, k.ID)) }

// Decode reads a Key.
func (Key) Decode(b []byte) (Key, []byte, error) {
	d := decoder{b: b}
	k := Key{ID: d.str(), State: read[crdt.Deletable[KeyParams]](&d)}
	rest, err := d.done("key")
	return k, rest, err
}
