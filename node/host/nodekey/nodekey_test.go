package nodekey

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/gogarage/garage/node/rt"
)

func TestLoadOrCreateIsStable(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "meta")
	first, err := LoadOrCreate(dir)
	if err != nil {
		t.Fatalf("first LoadOrCreate: %v", err)
	}
	second, err := LoadOrCreate(dir)
	if err != nil {
		t.Fatalf("second LoadOrCreate: %v", err)
	}
	if !first.Equal(second) {
		t.Fatalf("key changed between starts")
	}
	st, err := os.Stat(filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := st.Mode().Perm(), fs.FileMode(0o600); got != want {
		t.Errorf("key file mode = %v, want %v", got, want)
	}
	pub, err := os.ReadFile(filepath.Join(dir, PubFileName))
	if err != nil || !bytes.Equal(pub, first.Public().(ed25519.PublicKey)) {
		t.Errorf("public key file = %x, %v; want %x", pub, err, first.Public())
	}
}

func TestLoadOrCreateRace(t *testing.T) {
	dir := t.TempDir()
	const n = 8
	keys := make([]ed25519.PrivateKey, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			keys[i], errs[i] = LoadOrCreate(dir)
		}()
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("racer %d: %v", i, errs[i])
		}
		if !keys[i].Equal(keys[0]) {
			t.Fatalf("racer %d got a different key", i)
		}
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, FileName+".tmp*"))
	if len(leftovers) != 0 {
		t.Errorf("temporary files left behind: %v", leftovers)
	}
}

func TestLoadRefuses(t *testing.T) {
	good := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))
	mismatched := bytes.Clone(good)
	mismatched[40] ^= 1
	tests := []struct {
		name    string
		content []byte
		mode    fs.FileMode
		want    string
	}{
		{"group readable", good, 0o640, "chmod 600"},
		{"world readable", good, 0o604, "chmod 600"},
		{"short", good[:63], 0o600, "63 bytes"},
		{"long", append(bytes.Clone(good), 0), 0o600, "65 bytes"},
		{"empty", nil, 0o600, "0 bytes"},
		{"public half mismatch", mismatched, 0o600, "corrupt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, FileName)
			if err := os.WriteFile(path, tt.content, tt.mode); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(path, tt.mode); err != nil {
				t.Fatal(err)
			}
			_, err := LoadOrCreate(dir)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("LoadOrCreate err = %v, want mention of %q", err, tt.want)
			}
			got, _ := os.ReadFile(path)
			if !bytes.Equal(got, tt.content) {
				t.Errorf("refused key file was rewritten")
			}
		})
	}
}

func TestLoadMissing(t *testing.T) {
	_, err := Load(t.TempDir())
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Load of empty dir: err = %v, want fs.ErrNotExist", err)
	}
}

func TestIDRoundTrip(t *testing.T) {
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{3}, ed25519.SeedSize))
	pub := key.Public().(ed25519.PublicKey)
	id := ID(pub)
	if len(id) != 64 || strings.ToLower(string(id)) != string(id) {
		t.Fatalf("ID = %q, want 64 lowercase hex characters", id)
	}
	got, err := ParseID(id)
	if err != nil || !got.Equal(pub) {
		t.Fatalf("ParseID(ID(pub)) = %x, %v; want %x", got, err, pub)
	}
}

func TestParseIDErrors(t *testing.T) {
	tests := []struct {
		id   rt.NodeID
		want string
	}{
		{"", "want 64 hex characters, got 0"},
		{"abcd", "got 4"},
		{rt.NodeID(strings.Repeat("zz", 32)), "not hexadecimal"},
		{rt.NodeID(strings.Repeat("ab", 33)), "got 66"},
	}
	for _, tt := range tests {
		_, err := ParseID(tt.id)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseID(%q) err = %v, want mention of %q", tt.id, err, tt.want)
		}
	}
}
