package layout

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Format is the version of the encoding written by Encode.
const Format = 1

type envelope struct {
	Format  int      `json:"format"`
	History *History `json:"history,omitempty"`
	Version *Version `json:"layout,omitempty"`
}

// Encode returns the canonical encoding of h, for gossip and persistence:
// JSON with every collection a sorted slice, so equal histories encode to
// equal bytes.
func (h *History) Encode() ([]byte, error) {
	b, err := json.Marshal(envelope{Format: Format, History: h})
	if err != nil {
		return nil, fmt.Errorf("encode layout history: %w", err)
	}
	return b, nil
}

// DecodeHistory decodes and checks an encoded history.
func DecodeHistory(b []byte) (*History, error) {
	var e envelope
	if err := decodeStrict(b, &e); err != nil {
		return nil, fmt.Errorf("decode layout history: %w", err)
	}
	if e.History == nil {
		return nil, fmt.Errorf("decode layout history: no history")
	}
	if err := e.History.Check(); err != nil {
		return nil, fmt.Errorf("decode layout history: %w", err)
	}
	return e.History, nil
}

// Encode returns the canonical encoding of v.
func (v *Version) Encode() ([]byte, error) {
	b, err := json.Marshal(envelope{Format: Format, Version: v})
	if err != nil {
		return nil, fmt.Errorf("encode layout version %d: %w", v.Number, err)
	}
	return b, nil
}

// DecodeVersion decodes an encoded version and checks that it is valid or
// empty.
func DecodeVersion(b []byte) (*Version, error) {
	var e envelope
	if err := decodeStrict(b, &e); err != nil {
		return nil, fmt.Errorf("decode layout version: %w", err)
	}
	if e.Version == nil {
		return nil, fmt.Errorf("decode layout version: no version")
	}
	v := e.Version
	if err := v.Valid(); err != nil && len(v.Members) > 0 {
		return nil, fmt.Errorf("decode layout version: %w", err)
	}
	return v, nil
}

func decodeStrict(b []byte, e *envelope) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(e); err != nil {
		return err
	}
	if e.Format != Format {
		return fmt.Errorf("format %d, want %d", e.Format, Format)
	}
	return nil
}
