package disk

import (
	"errors"
	"fmt"

	"github.com/gogarage/garage/node/rt"
)

// Guard serialises transactions; rt.Mutex and sync.Mutex satisfy it.
type Guard interface {
	Lock()
	Unlock()
}

// Options tunes a disk.
type Options struct {
	// Guard serialises KV transactions; nil means none (single-threaded
	// use).
	Guard Guard
	// SyncOnCommit makes every KV commit durable at once.
	SyncOnCommit bool
}

// ErrInjected is the error of an operation failed by FailNext.
var ErrInjected = errors.New("sim/disk: injected I/O error")

// Disk is one node's simulated disk: a KV engine and a file store that
// survive crashes, minus what was not synced.
type Disk struct {
	opts     Options
	kv       *kv
	files    *files
	failLeft int
	failErr  error
	crashes  int
}

// New returns an empty disk.
func New(opts Options) *Disk {
	if opts.Guard == nil {
		opts.Guard = noGuard{}
	}
	d := &Disk{opts: opts}
	d.kv = newKV(d)
	d.files = newFiles(d)
	return d
}

type noGuard struct{}

func (noGuard) Lock()   {}
func (noGuard) Unlock() {}

// KV returns the disk's metadata engine.
func (d *Disk) KV() rt.KV { return d.kv }

// Files returns the disk's file store.
func (d *Disk) Files() rt.Files { return d.files }

// Crash loses everything not yet durable: KV commits since the last sync
// and files written without sync.
func (d *Disk) Crash() {
	d.kv.crash()
	d.files.crash()
	d.crashes++
}

// Crashes returns how many times the disk lost power.
func (d *Disk) Crashes() int { return d.crashes }

// SyncAll makes every pending KV write and file durable, as a clean
// shutdown does.
func (d *Disk) SyncAll() {
	d.kv.sync()
	d.files.sync()
}

// Unsynced returns the number of KV writes and files a crash would lose.
func (d *Disk) Unsynced() (kvWrites, files int) { return len(d.kv.log), len(d.files.pending) }

// FailNext makes the next n operations (KV View, Update, Sync; file
// Write, Read, Remove, List) fail with err (ErrInjected if nil).
func (d *Disk) FailNext(n int, err error) {
	if err == nil {
		err = ErrInjected
	}
	d.failLeft, d.failErr = n, err
}

// Corrupt flips the byte at offset at (modulo the size) of file name in
// every layer, as bit rot would, and reports whether the file exists.
func (d *Disk) Corrupt(name string, at int) bool { return d.files.corrupt(name, at) }

// fault returns the injected error for operation what, if one is due.
func (d *Disk) fault(what string) error {
	if d.failLeft <= 0 {
		return nil
	}
	d.failLeft--
	return fmt.Errorf("%s: %w", what, d.failErr)
}
