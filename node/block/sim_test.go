package block

import (
	"bytes"
	"errors"
	"slices"
	"testing"
	"time"
)

func TestPutGetAcrossNodes(t *testing.T) {
	h := newHarness(t, 1, 5, nil)
	h.start(5)
	var hashes []Hash
	for i := range 10 {
		hashes = append(hashes, h.put(h.ids[i%5], blockData(i, 40_000+i)))
	}
	h.run(5 * time.Second) // background writes
	for i, hash := range hashes {
		if got, want := h.holders(hash), h.placement(hash); !slices.Equal(got, want) || len(want) != 3 {
			t.Errorf("block %d on %v, want its partition's 3 nodes %v", i, got, want)
		}
		for _, id := range h.ids {
			data, err := h.get(id, hash)
			if err != nil || !bytes.Equal(data, blockData(i, 40_000+i)) {
				t.Errorf("get block %d from %s: %d bytes, %v", i, id, len(data), err)
			}
		}
	}
}

func TestGetMissingBlock(t *testing.T) {
	h := newHarness(t, 2, 3, nil)
	h.start(3)
	_, err := h.get("n1", Sum([]byte("never stored")))
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("get of a block never stored: %v, want ErrNotFound", err)
	}
}
