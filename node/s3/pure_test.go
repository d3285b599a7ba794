package s3

import (
	"bytes"
	"io"
	"math/rand/v2"
	"testing"
	"time"
)

func TestLocate(t *testing.T) {
	cases := []struct {
		host, path, root, bucket, key string
	}{
		{"127.0.0.1:3900", "/b/k", ".s3.garage", "b", "k"},
		{"127.0.0.1:3900", "/b/dir/a%20b%26c", "", "b", "dir/a b&c"},
		{"127.0.0.1:3900", "/b", ".s3.garage", "b", ""},
		{"127.0.0.1:3900", "/", ".s3.garage", "", ""},
		{"b.s3.garage:3900", "/dir//k", ".s3.garage", "b", "dir//k"},
		{"B.S3.Garage", "/k", ".s3.garage", "b", "k"},
		{"s3.garage", "/b/k", ".s3.garage", "b", "k"},
		{"[::1]:3900", "/b/k", ".s3.garage", "b", "k"},
	}
	for _, c := range cases {
		b, k, err := Locate(c.host, c.path, c.root)
		if err != nil || b != c.bucket || k != c.key {
			t.Errorf("Locate(%q, %q, %q) = %q, %q, %v; want %q, %q", c.host, c.path, c.root, b, k, err, c.bucket, c.key)
		}
	}
	if _, _, err := Locate("h", "/b/%zz", ""); err == nil {
		t.Errorf("Locate of a malformed path: no error")
	}
}

func TestStoredSizeInverts(t *testing.T) {
	for n := int64(0); n < 3*sseChunk+5; n += 997 {
		if got := plainSize(storedSize(n)); got != n {
			t.Fatalf("plainSize(storedSize(%d)) = %d", n, got)
		}
	}
	for _, n := range []int64{sseChunk - 1, sseChunk, sseChunk + 1, 5 << 20} {
		if got := plainSize(storedSize(n)); got != n {
			t.Fatalf("plainSize(storedSize(%d)) = %d", n, got)
		}
	}
}

// TestEncryptedRanges encrypts data and reads random ranges back through
// decryptRange, as GET with Range does.
func TestEncryptedRanges(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var key [32]byte
	key[0] = 9
	for _, size := range []int64{1, 100, sseChunk, sseChunk + 1, 3*sseChunk + 17} {
		plain := make([]byte, size)
		for i := range plain {
			plain[i] = byte(r.IntN(256))
		}
		stored, err := io.ReadAll(newEncrypter(bytes.NewReader(plain), key, []byte("0123456789abcdef")))
		if err != nil || int64(len(stored)) != storedSize(size) {
			t.Fatalf("size %d: stored %d bytes (%v), want %d", size, len(stored), err, storedSize(size))
		}
		open := func(start, length int64) (io.ReadCloser, error) {
			return io.NopCloser(bytes.NewReader(stored[start : start+length])), nil
		}
		for range 20 {
			start := r.Int64N(size)
			length := 1 + r.Int64N(size-start)
			rc, err := decryptRange(open, key, int64(len(stored)), start, length)
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(rc)
			if err != nil || !bytes.Equal(got, plain[start:start+length]) {
				t.Fatalf("size %d range %d+%d: %d bytes, %v", size, start, length, len(got), err)
			}
		}
		stored[len(stored)-1] ^= 1
		rc, _ := decryptRange(open, key, int64(len(stored)), 0, size)
		if _, err := io.ReadAll(rc); err == nil {
			t.Errorf("size %d: tampered ciphertext decrypted", size)
		}
	}
}

func TestUntilMidnight(t *testing.T) {
	now := time.Date(2025, 3, 1, 23, 30, 0, 0, time.UTC)
	if got := untilMidnight(now); got != 31*time.Minute {
		t.Errorf("untilMidnight(23:30) = %v, want 31m", got)
	}
}
