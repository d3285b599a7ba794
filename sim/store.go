package sim

import (
	"context"
	"fmt"
	"time"

	"github.com/gogarage/garage/node/rt"
)

// kvPort is a node incarnation's view of its disk's KV engine: once the
// incarnation crashed, its stale handles fail instead of writing into the
// next incarnation's state.
type kvPort struct {
	port
	kv rt.KV
}

// port is what a node incarnation's disk handles share: which incarnation
// they belong to, and the disk's timing.
type port struct {
	inc  *incarnation
	disk *diskTiming
}

// down fails once the incarnation crashed.
func (p port) down() error {
	if p.inc.dead {
		return fmt.Errorf("disk of crashed node %s: %w", p.inc.n.id, rt.ErrUnreachable)
	}
	return nil
}

var _ rt.KV = (*kvPort)(nil)

// View runs fn in a read-only transaction.
func (p *kvPort) View(fn func(tx rt.ReadTx) error) error {
	if err := p.down(); err != nil {
		return err
	}
	return p.kv.View(fn)
}

// Update runs fn in a read-write transaction.
func (p *kvPort) Update(fn func(tx rt.Tx) error) error {
	if err := p.down(); err != nil {
		return err
	}
	if err := p.kv.Update(fn); err != nil {
		return err
	}
	if p.disk.syncOnCommit {
		p.disk.fsync()
	}
	return nil
}

// Sync makes committed transactions durable.
func (p *kvPort) Sync() error {
	if err := p.down(); err != nil {
		return err
	}
	p.disk.fsync()
	if err := p.down(); err != nil { // crashed while syncing
		return err
	}
	return p.kv.Sync()
}

// filesPort is a node incarnation's view of its disk's files.
type filesPort struct {
	port
	f rt.Files
}

var _ rt.Files = (*filesPort)(nil)

// Write creates or replaces name.
func (p *filesPort) Write(name string, data []byte, sync bool) error {
	if err := p.down(); err != nil {
		return err
	}
	if sync {
		p.disk.fsync()
		if err := p.down(); err != nil {
			return err
		}
	}
	return p.f.Write(name, data, sync)
}

// Read returns the content of name.
func (p *filesPort) Read(name string) ([]byte, error) {
	if err := p.down(); err != nil {
		return nil, err
	}
	return p.f.Read(name)
}

// Remove deletes name.
func (p *filesPort) Remove(name string) error {
	if err := p.down(); err != nil {
		return err
	}
	return p.f.Remove(name)
}

// List returns the names starting with prefix, sorted.
func (p *filesPort) List(prefix string) ([]string, error) {
	if err := p.down(); err != nil {
		return nil, err
	}
	return p.f.List(prefix)
}

// Stat describes name.
func (p *filesPort) Stat(name string) (rt.FileInfo, error) {
	if err := p.down(); err != nil {
		return rt.FileInfo{}, err
	}
	return p.f.Stat(name)
}

// ListPage returns a page of the names starting with prefix, sorted.
func (p *filesPort) ListPage(prefix, after string, limit int) ([]string, error) {
	if err := p.down(); err != nil {
		return nil, err
	}
	return p.f.ListPage(prefix, after, limit)
}

// diskTiming makes fsyncs take virtual time (Config.FsyncLatency).
type diskTiming struct {
	w            *World
	latency      time.Duration
	syncOnCommit bool
}

// fsync parks the calling task for the fsync latency. Outside a task, or
// with no latency configured, it returns at once. A task whose node
// crashes meanwhile unwinds, so what it was syncing stays unsynced.
func (d *diskTiming) fsync() {
	if d.latency <= 0 || d.w.cur == nil {
		return
	}
	_ = d.w.sleep(context.Background(), d.latency)
}
