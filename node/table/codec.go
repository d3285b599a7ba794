package table

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// errMessage is wrapped by errors decoding a malformed RPC message.
var errMessage = errors.New("table: malformed message")

// appendBytes appends b with a varint length prefix.
func appendBytes(dst, b []byte) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(b)))
	return append(dst, b...)
}

// appendOpt appends an optional byte string: a presence byte, then b.
func appendOpt(dst, b []byte) []byte {
	if b == nil {
		return append(dst, 0)
	}
	return appendBytes(append(dst, 1), b)
}

// appendList appends a count and each byte string.
func appendList(dst []byte, bs [][]byte) []byte {
	if dst == nil {
		dst = make([]byte, 0, listLen(bs))
	}
	dst = binary.AppendUvarint(dst, uint64(len(bs)))
	for _, b := range bs {
		dst = appendBytes(dst, b)
	}
	return dst
}

// listLen is an upper bound of the encoded length of a list of bs.
func listLen(bs [][]byte) int {
	n := binary.MaxVarintLen64
	for _, b := range bs {
		n += binary.MaxVarintLen64 + len(b)
	}
	return n
}

// reader decodes a message; the first error sticks and later reads return
// zero values.
type reader struct {
	b   []byte
	err error
}

func (r *reader) fail(what string) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: %s", errMessage, what)
	}
}

func (r *reader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail("bad varint")
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) byte() byte {
	if r.err != nil || len(r.b) == 0 {
		r.fail("truncated")
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

// bytes reads a length-prefixed byte string; the result aliases the
// message.
func (r *reader) bytes() []byte {
	n := r.uvarint()
	if r.err != nil || uint64(len(r.b)) < n {
		r.fail("truncated bytes")
		return nil
	}
	out := r.b[:n:n]
	r.b = r.b[n:]
	return out
}

func (r *reader) opt() []byte {
	switch r.byte() {
	case 0:
		return nil
	case 1:
		return r.bytes()
	}
	r.fail("bad presence byte")
	return nil
}

// list reads a count and as many byte strings, refusing counts larger
// than the message could hold.
func (r *reader) list() [][]byte {
	out := make([][]byte, r.count())
	for i := range out {
		out[i] = r.bytes()
	}
	return out
}

// count reads the count of a list, refusing counts larger than the
// message could hold; its byte strings follow (read them with bytes).
func (r *reader) count() int {
	n := r.uvarint()
	if r.err != nil || n > uint64(len(r.b)) {
		r.fail("bad count")
		return 0
	}
	return int(n)
}

// done returns the sticky error, or an error if bytes are left over.
func (r *reader) done() error {
	if r.err == nil && len(r.b) != 0 {
		r.fail("trailing bytes")
	}
	return r.err
}
