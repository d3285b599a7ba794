package nodekey

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/gogarage/garage/node/rt"
)

// FileName is the name of the secret key file inside the metadata directory.
const FileName = "node_key"

// PubFileName is the name of the public key file inside the metadata
// directory. It is informational: LoadOrCreate never reads it.
const PubFileName = "node_key.pub"

// ErrPerm reports a key file that group or others may read.
var ErrPerm = errors.New("node key file is accessible by group or others (chmod 600 it)")

// LoadOrCreate returns the node's private key stored in dir, creating dir
// (mode 0700) and a fresh key (mode 0600) if there is none yet. It refuses a
// key file with a wrong size, a public half that does not match the seed, or
// permissions wider than 0600.
func LoadOrCreate(dir string) (ed25519.PrivateKey, error) {
	key, err := Load(dir)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return key, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create metadata dir %s: %w", dir, err)
	}
	if err := create(dir); err != nil {
		return nil, err
	}
	return Load(dir)
}

// Load reads the node's private key from dir. A missing key file yields an
// error matching fs.ErrNotExist.
func Load(dir string) (ed25519.PrivateKey, error) {
	path := filepath.Join(dir, FileName)
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("load node key: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("load node key: %w", err)
	}
	if st.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("load node key %s (mode %v): %w", path, st.Mode().Perm(), ErrPerm)
	}
	raw, err := io.ReadAll(io.LimitReader(f, ed25519.PrivateKeySize+1))
	if err != nil {
		return nil, fmt.Errorf("load node key: %w", err)
	}
	key, err := Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("load node key %s: %w", path, err)
	}
	return key, nil
}

// Parse checks a 64-byte stored key (seed then public key) and returns it as
// a private key.
func Parse(raw []byte) (ed25519.PrivateKey, error) {
	if len(raw) != ed25519.PrivateKeySize {
		return nil, fmt.Errorf("node key is %d bytes, want %d", len(raw), ed25519.PrivateKeySize)
	}
	key := ed25519.NewKeyFromSeed(raw[:ed25519.SeedSize])
	if !bytes.Equal(key[ed25519.SeedSize:], raw[ed25519.SeedSize:]) {
		return nil, errors.New("node key is corrupt: public half does not match the seed")
	}
	return key, nil
}

// create writes a fresh key to dir atomically. If another process created
// one first, create leaves it in place and succeeds.
func create(dir string) error {
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return fmt.Errorf("generate node key: %w", err)
	}
	tmp, err := writeTemp(dir, key)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	// Link, unlike rename, never replaces an existing key.
	err = os.Link(tmp, filepath.Join(dir, FileName))
	if err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("install node key: %w", err)
	}
	if err == nil {
		writePub(dir, key.Public().(ed25519.PublicKey))
	}
	return syncDir(dir)
}

// writeTemp writes key to a new private temporary file in dir, synced.
func writeTemp(dir string, key ed25519.PrivateKey) (string, error) {
	f, err := os.CreateTemp(dir, FileName+".tmp*")
	if err != nil {
		return "", fmt.Errorf("write node key: %w", err)
	}
	name := f.Name()
	err = errors.Join(f.Chmod(0o600), write(f, key), f.Sync(), f.Close())
	if err != nil {
		os.Remove(name)
		return "", fmt.Errorf("write node key: %w", err)
	}
	return name, nil
}

func write(f *os.File, b []byte) error {
	_, err := f.Write(b)
	return err
}

// writePub best-effort writes the public key file; the secret key file is
// the only source of truth, so a failure here is not fatal.
func writePub(dir string, pub ed25519.PublicKey) {
	_ = os.WriteFile(filepath.Join(dir, PubFileName), pub, 0o644)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sync metadata dir: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync metadata dir: %w", err)
	}
	return nil
}

// ID returns the node id of a public key: its lowercase hex.
func ID(pub ed25519.PublicKey) rt.NodeID {
	return rt.NodeID(hex.EncodeToString(pub))
}

// ParseID returns the public key named by a node id, as found in bootstrap
// peer strings "<node id>@host:port".
func ParseID(id rt.NodeID) (ed25519.PublicKey, error) {
	if len(id) != 2*ed25519.PublicKeySize {
		return nil, fmt.Errorf("node id %q: want %d hex characters, got %d", id.Short(), 2*ed25519.PublicKeySize, len(id))
	}
	pub, err := hex.DecodeString(string(id))
	if err != nil {
		return nil, fmt.Errorf("node id %q: not hexadecimal: %w", id.Short(), err)
	}
	return ed25519.PublicKey(pub), nil
}
