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
