package block

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"testing/iotest"
)

func TestChunker(t *testing.T) {
	tests := []struct {
		n, size int
		want    []int
	}{
		{0, 4, nil},
		{3, 4, []int{3}},
		{4, 4, []int{4}},
		{9, 4, []int{4, 4, 1}},
		{8, 4, []int{4, 4}},
	}
	for _, tt := range tests {
		src := randomData(tt.n, tt.n)
		c := NewChunker(iotest.HalfReader(bytes.NewReader(src)), tt.size)
		var got []int
		var joined []byte
		for {
			b, err := c.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			got, joined = append(got, len(b)), append(joined, b...)
		}
		if !equalInts(got, tt.want) || !bytes.Equal(joined, src) {
			t.Errorf("%d bytes in blocks of %d: sizes %v, want %v", tt.n, tt.size, got, tt.want)
		}
		if _, err := c.Next(); !errors.Is(err, io.EOF) {
			t.Errorf("Next after the end: %v, want io.EOF", err)
		}
	}
	c := NewChunker(iotest.ErrReader(errors.New("disk on fire")), 4)
	if _, err := c.Next(); err == nil || errors.Is(err, io.EOF) {
		t.Errorf("a failing reader: %v, want its error", err)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestChunkerGivesBackUnusedBuffer: with buffers from a pool, every buffer
// taken ends up either returned as a block or given back: the one the
// read that finds the end of a stream of whole blocks left empty.
func TestChunkerGivesBackUnusedBuffer(t *testing.T) {
	for _, n := range []int{0, 3, 8, 9} {
		taken, back, blocks := 0, 0, 0
		c := NewChunker(bytes.NewReader(randomData(n, n)), 4).WithBuffers(
			func(size int) []byte { taken++; return make([]byte, size) },
			func([]byte) { back++ })
		for {
			if _, err := c.Next(); err != nil {
				break
			}
			blocks++
		}
		// A stream cut short ends with a partial block and no empty read.
		wantBack := 0
		if n%4 == 0 {
			wantBack = 1
		}
		if taken != blocks+back || back != wantBack {
			t.Errorf("%d bytes: %d buffers taken, %d blocks, %d given back; want every buffer accounted for, %d given back",
				n, taken, blocks, back, wantBack)
		}
	}
}
