package layout

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// Format is the version of the encoding written by Encode: a compact,
// deterministic binary format, canonical in that equal histories encode to
// equal bytes (retired versions included) and every accepted input is the
// encoding of what it decodes to.
//
// All integers are varints (encoding/binary) in their shortest form:
// unsigned for counts, string indexes, version numbers and stamps,
// zig-zag signed for the rest. A list is its length, then its elements.
//
//	history   = 0x02 'H' strings versions versions trackers staging
//	            (the live versions, then the retired ones)
//	version   = 0x02 'V' strings body (a version encoded alone)
//	strings   = n {len bytes}: every node id, zone and tag, sorted,
//	            distinct, each one used; the fields below name a string
//	            by its index here
//	body      = number replication redundancy partition_bits partition_size
//	            n {id role} ring (the members, sorted by id)
//	role      = zone capacity gateway n {tag}
//	ring      = n {index}: 0 or RF x partitions indexes into the storage
//	            nodes (the members that are not gateways, in order), one
//	            byte each if there are at most 256 storage nodes, else two
//	            bytes big-endian
//	trackers  = ack sync sync_ack, each n {id version}, sorted by id
//	staging   = stamp redundancy_stamp redundancy n {id stamp remove role}
//	            (the staged roles, sorted by id)
//
// Booleans are one byte, 0 or 1. Decoding rejects truncated input, trailing
// bytes, non-minimal varints, counts larger than the input, indexes out of
// range, unsorted or repeated keys and unused strings, then checks the
// result as Check and Valid do.
//
// Format 1 was JSON: {"format":1,"history":...} or {"format":1,"layout":...}
// with the types' JSON field names. DecodeHistory and DecodeVersion still
// read it (an input starting with '{'), so a history persisted by an older
// binary loads; nothing writes it any more. The types keep their JSON tags
// for human-readable output.
const Format = 2

// formatJSON is the JSON format that DecodeHistory and DecodeVersion still
// read.
const formatJSON = 1

// Kinds of encoded values, the byte after the format.
const (
	kindHistory = 'H'
	kindVersion = 'V'
)

// errShort is the error of an input that ends inside a value.
var errShort = errors.New("truncated")

// envelope is the top-level object of Format 1.
type envelope struct {
	Format  int      `json:"format"`
	History *History `json:"history,omitempty"`
	Version *Version `json:"layout,omitempty"`
}

// Encode returns the canonical encoding of h (Format 2), for gossip and
// persistence. It fails if h breaks an invariant the encoding relies on
// (sorted, distinct members, trackers and staged roles; Storage listing the
// storage members; ring indexes in range).
func (h *History) Encode() ([]byte, error) {
	if err := h.checkShape(); err != nil {
		return nil, fmt.Errorf("encode layout history: %w", err)
	}
	e := newEncoder(h.sizeHint())
	h.eachString(e.add)
	e.header(kindHistory)
	e.history(h)
	return e.b, nil
}

// DecodeHistory decodes an encoded history, Format 2 or Format 1, and
// checks it (Check): what decodes also encodes.
func DecodeHistory(b []byte) (*History, error) {
	h, err := decodeHistory(b)
	if err == nil {
		err = h.Check()
	}
	if err != nil {
		return nil, fmt.Errorf("decode layout history: %w", err)
	}
	return h, nil
}

// decodeHistory parses b in the format its first byte names.
func decodeHistory(b []byte) (*History, error) {
	if isJSON(b) {
		e, err := decodeJSON(b)
		if err == nil && e.History == nil {
			err = errors.New("no history")
		}
		return e.History, err
	}
	d, err := newDecoder(b, kindHistory)
	if err != nil {
		return nil, err
	}
	h := d.history()
	return h, d.finish()
}

// Encode returns the canonical encoding of v (Format 2).
func (v *Version) Encode() ([]byte, error) {
	if err := v.checkShape(); err != nil {
		return nil, fmt.Errorf("encode layout version %d: %w", v.Number, err)
	}
	e := newEncoder(v.sizeHint())
	v.eachString(e.add)
	e.header(kindVersion)
	e.version(v)
	return e.b, nil
}

// DecodeVersion decodes an encoded version, Format 2 or Format 1, and
// checks that it is valid or empty.
func DecodeVersion(b []byte) (*Version, error) {
	v, err := decodeVersion(b)
	if err == nil {
		err = v.checkShape()
	}
	if err == nil && len(v.Members) > 0 {
		err = v.Valid()
	}
	if err != nil {
		return nil, fmt.Errorf("decode layout version: %w", err)
	}
	return v, nil
}

// decodeVersion parses b in the format its first byte names.
func decodeVersion(b []byte) (*Version, error) {
	if isJSON(b) {
		e, err := decodeJSON(b)
		if err == nil && e.Version == nil {
			err = errors.New("no version")
		}
		return e.Version, err
	}
	d, err := newDecoder(b, kindVersion)
	if err != nil {
		return nil, err
	}
	v := d.version()
	return &v, d.finish()
}

// isJSON reports whether b is in Format 1, which always starts with '{'.
func isJSON(b []byte) bool { return len(b) > 0 && b[0] == '{' }

// decodeJSON decodes a Format 1 envelope, rejecting unknown fields.
func decodeJSON(b []byte) (envelope, error) {
	var e envelope
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(&e); err != nil {
		return envelope{}, fmt.Errorf("format %d: %w", formatJSON, err)
	}
	if e.Format != formatJSON {
		return envelope{}, fmt.Errorf("JSON encoding of format %d, want %d", e.Format, formatJSON)
	}
	if d.More() {
		return envelope{}, fmt.Errorf("format %d: trailing data", formatJSON)
	}
	return e, nil
}
