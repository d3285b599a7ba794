package s3

import (
	"context"
	"io"

	"github.com/gogarage/garage/node/s3/s3req"
)

// segment is a piece of an object's data stored and, if encrypted,
// encrypted on its own: the whole object, or one part of an encrypted
// multipart object.
type segment struct {
	base, stored int64 // offset and size in the stored bytes
	size         int64 // plaintext size
}

// segments returns the segments of obj, read with the customer key key
// (nil for a plain object). An encrypted multipart object costs a lookup
// of each part's bounds.
func segments(ctx context.Context, store Objects, obj Object, key *s3req.SSECustomerKey) ([]segment, error) {
	m := obj.Meta
	if key == nil {
		return []segment{{stored: m.Size, size: m.Size}}, nil
	}
	if m.PartCount == 0 {
		return []segment{{stored: m.Size, size: plainSize(m.Size)}}, nil
	}
	out := make([]segment, m.PartCount)
	for n := range out {
		start, length, err := store.Part(ctx, obj, n+1)
		if err != nil {
			return nil, err
		}
		out[n] = segment{base: start, stored: length, size: plainSize(length)}
	}
	return out, nil
}

// plainLength returns the plaintext size of segments.
func plainLength(segs []segment) int64 {
	var n int64
	for _, s := range segs {
		n += s.size
	}
	return n
}

// dataReader reads plaintext ranges of an object.
type dataReader struct {
	ctx   context.Context
	store Objects
	obj   Object
	segs  []segment
	key   *[32]byte     // the customer key of an encrypted object
	whole io.ReadCloser // all the stored bytes, if already open
}

// open returns length bytes of the object's plaintext from start.
func (d dataReader) open(start, length int64) io.ReadCloser {
	var opens []func() (io.ReadCloser, error)
	var off int64
	for _, s := range d.segs {
		lo, hi := max(start, off), min(start+length, off+s.size)
		if lo < hi {
			s, lo, n := s, lo-off, hi-lo
			opens = append(opens, func() (io.ReadCloser, error) { return d.segment(s, lo, n) })
		}
		off += s.size
	}
	return &lazyReader{opens: opens, unused: d.whole}
}

// segment opens n plaintext bytes of segment s from offset lo.
func (d dataReader) segment(s segment, lo, n int64) (io.ReadCloser, error) {
	raw := func(start, length int64) (io.ReadCloser, error) { return d.stored(s.base+start, length) }
	if d.key == nil {
		return raw(lo, n)
	}
	return decryptRange(raw, *d.key, s.stored, lo, n)
}

// stored opens stored bytes of the object: the whole body already open
// when it is what is asked, else through the store.
func (d dataReader) stored(start, length int64) (io.ReadCloser, error) {
	if d.whole != nil && start == 0 && length >= d.obj.Meta.Size {
		return d.whole, nil
	}
	return d.store.Read(d.ctx, d.obj, start, length)
}

// lazyReader reads one reader after the other, each opened when the
// previous one ended; unused is closed at the end if none took it.
type lazyReader struct {
	opens  []func() (io.ReadCloser, error)
	cur    io.ReadCloser
	unused io.ReadCloser
	err    error
}

func (l *lazyReader) Read(p []byte) (int, error) {
	for l.err == nil {
		if l.cur == nil {
			if len(l.opens) == 0 {
				return 0, io.EOF
			}
			l.cur, l.err = l.opens[0]()
			l.opens = l.opens[1:]
			if l.cur == l.unused {
				l.unused = nil
			}
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

// Close closes the reader being read, and the whole body if unused.
func (l *lazyReader) Close() error {
	if l.unused != nil {
		l.unused.Close()
	}
	if l.cur != nil {
		return l.cur.Close()
	}
	return nil
}

// OpenPlain returns length bytes from start of the data of obj, an
// object not encrypted with a customer key (the website server's reads).
func OpenPlain(ctx context.Context, store Objects, obj Object, start, length int64) io.ReadCloser {
	segs := []segment{{stored: obj.Meta.Size, size: obj.Meta.Size}}
	return dataReader{ctx: ctx, store: store, obj: obj, segs: segs}.open(start, length)
}
