package boltkv

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"go.etcd.io/bbolt"

	"github.com/gogarage/garage/node/rt"
)

// DefaultLockTimeout bounds how long Open waits for another process to
// release the database file.
const DefaultLockTimeout = 5 * time.Second

// Options tunes a DB.
type Options struct {
	// Fsync makes every commit durable before Update returns. Without it,
	// durability waits for Sync.
	Fsync bool
	// LockTimeout bounds the wait for the file lock held by another
	// process; zero means DefaultLockTimeout.
	LockTimeout time.Duration
	// InitialMmapSize, if positive, is the initial size in bytes of the
	// memory map; a large one avoids remapping (which waits for readers) as
	// the file grows.
	InitialMmapSize int
}

// DB is an rt.KV stored in one bbolt file. It is safe for concurrent use.
type DB struct {
	bolt  *bbolt.DB
	path  string
	fsync bool

	mu      sync.Mutex
	queue   []*update // updates waiting for their group's commit
	leading bool      // a caller is committing a group
}

var _ rt.KV = (*DB)(nil)

// Open opens or creates the database file at path, creating its directory
// if needed.
func Open(path string, opts Options) (*DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("open metadata db %s: %w", path, err)
	}
	if opts.LockTimeout == 0 {
		opts.LockTimeout = DefaultLockTimeout
	}
	b, err := bbolt.Open(path, 0o600, &bbolt.Options{
		Timeout:         opts.LockTimeout,
		NoSync:          !opts.Fsync,
		InitialMmapSize: opts.InitialMmapSize,
		FreelistType:    bbolt.FreelistMapType,
	})
	if err != nil {
		return nil, fmt.Errorf("open metadata db %s: %w", path, err)
	}
	return &DB{bolt: b, path: path, fsync: opts.Fsync}, nil
}

// Path returns the file the database lives in.
func (db *DB) Path() string { return db.path }

// Close waits for running transactions and closes the file. Commits not yet
// synced are flushed first.
func (db *DB) Close() error {
	syncErr := db.Sync()
	if err := db.bolt.Close(); err != nil {
		return fmt.Errorf("close metadata db %s: %w", db.path, err)
	}
	return syncErr
}

// View runs fn in a read-only transaction and returns its error.
func (db *DB) View(fn func(tx rt.ReadTx) error) error {
	return db.bolt.View(func(tx *bbolt.Tx) error { return fn(boltTx{tx}) })
}

// Sync flushes every committed transaction to stable storage. With
// Options.Fsync every commit already is, and Sync does nothing.
func (db *DB) Sync() error {
	if db.fsync {
		return nil
	}
	if err := db.bolt.Sync(); err != nil {
		return fmt.Errorf("sync metadata db %s: %w", db.path, err)
	}
	return nil
}
