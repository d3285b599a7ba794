// Package crdt holds the state-based CRDTs that Garage's metadata tables are
// made of: the last-writer-wins register LWW, the per-key LWW map LWWMap,
// the per-key merging map Map, Bool (true wins), Max (greatest wins) and
// Deletable (a deletion wins and is final), plus NextTimestamp, the rule that
// makes a new version newer than every existing one even under clock skew.
//
// Every type is an immutable value: methods return new values and never
// modify their receiver or arguments, so values can be shared freely (the
// values a CRDT holds must be treated as immutable too). Merge is
// commutative, associative and idempotent for every type; property tests
// check these laws, and that Merge leaves its inputs unchanged.
//
// Every type also has a canonical binary encoding (Value): the encoding is a
// function of the value's state alone, and Decode rejects any input that is
// not the canonical encoding of some value. Equal states therefore have equal
// bytes, which is what replicas hash and compare in anti-entropy. Maps are
// kept as slices sorted by key, so neither encoding nor iteration depends on
// Go map order.
//
// crdt is node code: pure, no clock (timestamps come in as arguments), no
// randomness, no I/O.
package crdt
