package table

import (
	"bytes"
	"fmt"
	"testing"

	"golang.org/x/crypto/blake2b"
)

// TestHashMemo checks the memoised partition-key hash against BLAKE2b-256
// for short keys (kept), long ones (never kept) and across a clearing of
// the full memo, each asked twice (the second time from the memo).
func TestHashMemo(t *testing.T) {
	var hm hashMemo
	check := func(pk []byte) {
		t.Helper()
		want := blake2b.Sum256(pk)
		for range 2 {
			if got := hm.sum(pk); got != want {
				t.Fatalf("sum(%q) = %x, want %x", pk, got, want)
			}
		}
	}
	check(nil)
	check([]byte("bucket/key"))
	check(bytes.Repeat([]byte("p"), maxMemoKeySize+1))
	for i := range maxPartHashes + 10 {
		check([]byte(fmt.Sprintf("pk-%d", i)))
	}
	if len(hm.m) > maxPartHashes {
		t.Fatalf("memo holds %d entries, bound %d", len(hm.m), maxPartHashes)
	}
	check([]byte("bucket/key"))
}

// TestAppendPartsIsAppendList checks that the partition lists of the roots
// RPC keep appendList's encoding, which handleRoots reads as a list.
func TestAppendPartsIsAppendList(t *testing.T) {
	for _, parts := range [][]uint16{nil, {0}, {1, 255, 256, 0xffff}} {
		bs := make([][]byte, len(parts))
		for i, p := range parts {
			bs[i] = partBytes(p)
		}
		if got, want := appendParts(nil, parts), appendList(nil, bs); !bytes.Equal(got, want) {
			t.Errorf("parts %v: appendParts %x, appendList %x", parts, got, want)
		}
	}
}
