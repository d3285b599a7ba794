package s3

import (
	"bytes"
	"context"
	"io"
)

// segment is a piece of an object's data stored and, if encrypted,
// encrypted on its own: the whole object, or one part of a multipart
// object.
type segment struct {
	size, stored int64 // plaintext and stored sizes
	base         int64 // offset of its stored bytes in the object's
	salt         []byte
}

// segments returns the segments of o, in order.
func segments(o Object) []segment {
	m := o.Meta
	if len(m.Parts) == 0 {
		s := segment{size: m.Size, stored: m.StoredSize}
		if m.SSE != nil {
			s.salt = m.SSE.Salt
		}
		return []segment{s}
	}
	out := make([]segment, len(m.Parts))
	var base int64
	for i, p := range m.Parts {
		out[i] = segment{size: p.Size, stored: p.StoredSize, base: base, salt: p.Salt}
		base += p.StoredSize
	}
	return out
}

// dataReader reads plaintext ranges of an object.
type dataReader struct {
	ctx   context.Context
	store Objects
	obj   Object
	key   *[32]byte // the customer key of an encrypted object
}

// open returns length bytes of the object's plaintext from start.
func (d dataReader) open(start, length int64) io.ReadCloser {
	var opens []func() (io.ReadCloser, error)
	var off int64
	for _, s := range segments(d.obj) {
		lo, hi := max(start, off), min(start+length, off+s.size)
		if lo < hi {
			s, lo, n := s, lo-off, hi-lo
			opens = append(opens, func() (io.ReadCloser, error) { return d.segment(s, lo, n) })
		}
		off += s.size
	}
	return &lazyReader{opens: opens}
}

// segment opens n plaintext bytes of segment s from offset lo.
func (d dataReader) segment(s segment, lo, n int64) (io.ReadCloser, error) {
	raw := func(start, length int64) (io.ReadCloser, error) { return d.stored(s.base+start, length) }
	if d.key == nil {
		return raw(lo, n)
	}
	return newDecrypter(raw, *d.key, s.salt, s.size, lo, n)
}

// stored opens stored bytes of the object: from its inline data, or
// through the store.
func (d dataReader) stored(start, length int64) (io.ReadCloser, error) {
	if d.obj.Inline != nil {
		end := min(start+length, int64(len(d.obj.Inline)))
		start = min(start, end)
		return io.NopCloser(bytes.NewReader(d.obj.Inline[start:end])), nil
	}
	return d.store.Read(d.ctx, d.obj, start, length)
}

// lazyReader reads one reader after the other, each opened when the
// previous one ended.
type lazyReader struct {
	opens []func() (io.ReadCloser, error)
	cur   io.ReadCloser
	err   error
}

func (l *lazyReader) Read(p []byte) (int, error) {
	for l.err == nil {
		if l.cur == nil {
			if len(l.opens) == 0 {
				return 0, io.EOF
			}
			l.cur, l.err = l.opens[0]()
			l.opens = l.opens[1:]
			continue
		}
		n, err := l.cur.Read(p)
		if n == 0 && err == nil && len(p) > 0 {
			err = io.ErrNoProgress
		}
		if err == io.EOF {
			l.cur.Close()
			l.cur, err = nil, nil
		}
		if n > 0 || err != nil {
			return n, err
		}
	}
	return 0, l.err
}

// Close closes the reader being read.
func (l *lazyReader) Close() error {
	if l.cur != nil {
		return l.cur.Close()
	}
	return nil
}

// OpenPlain returns length bytes from start of the data of obj, an
// object not encrypted with a customer key (the website server's reads).
func OpenPlain(ctx context.Context, store Objects, obj Object, start, length int64) io.ReadCloser {
	return dataReader{ctx: ctx, store: store, obj: obj}.open(start, length)
}
