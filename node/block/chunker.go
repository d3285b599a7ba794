package block

import (
	"errors"
	"io"
)

// Chunker cuts a stream into blocks of a fixed size, so that an object of
// any size goes through memory one block at a time: the object layer
// reads a block, Puts it (from a bounded number of tasks; the RAM buffer
// bounds the bytes in flight) and reads the next.
type Chunker struct {
	r    io.Reader
	size int
	err  error
	get  func(size int) []byte // a buffer of size bytes; make when nil
	put  func(buf []byte)      // takes back a buffer of get left unused
}

// NewChunker returns a chunker of r into blocks of size bytes (the block
// size of the manager, Manager.BlockSize).
func NewChunker(r io.Reader, size int) *Chunker {
	if size <= 0 {
		size = DefaultBlockSize
	}
	return &Chunker{r: r, size: size}
}

// WithBuffers makes Next read into buffers from get (which returns a
// buffer of the given length, of any content) instead of new ones, and
// give back to put the buffer it took and did not fill (the read that
// finds the end of a stream whose length is a multiple of the block
// size), and returns c.
func (c *Chunker) WithBuffers(get func(size int) []byte, put func(buf []byte)) *Chunker {
	c.get, c.put = get, put
	return c
}

// Next returns the next block: size bytes, fewer only for the last one.
// It returns io.EOF after the last block (an empty stream has no block),
// or the reader's error. Each block is a new slice (or one from the
// buffers of WithBuffers) the caller owns.
func (c *Chunker) Next() ([]byte, error) {
	if c.err != nil {
		return nil, c.err
	}
	var buf []byte
	if c.get != nil {
		buf = c.get(c.size)
	} else {
		buf = make([]byte, c.size)
	}
	n, err := io.ReadFull(c.r, buf)
	if n == 0 && err != nil && c.put != nil {
		c.put(buf)
	}
	switch {
	case errors.Is(err, io.EOF):
		c.err = io.EOF
		return nil, io.EOF
	case errors.Is(err, io.ErrUnexpectedEOF):
		c.err = io.EOF
		return buf[:n], nil
	case err != nil:
		c.err = err
		return nil, err
	}
	return buf, nil
}
