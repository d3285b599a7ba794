package sim

import (
	"fmt"

	"github.com/gogarage/garage/node/rt"
)

// kvPort is a node incarnation's view of its disk's KV engine: once the
// incarnation crashed, its stale handles fail instead of writing into the
// next incarnation's state.
type kvPort struct {
	inc *incarnation
	kv  rt.KV
}

var _ rt.KV = (*kvPort)(nil)

func (p *kvPort) down() error {
	if p.inc.dead {
		return fmt.Errorf("kv of crashed node %s: %w", p.inc.n.id, rt.ErrUnreachable)
	}
	return nil
}

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
	return p.kv.Update(fn)
}

// Sync makes committed transactions durable.
func (p *kvPort) Sync() error {
	if err := p.down(); err != nil {
		return err
	}
	return p.kv.Sync()
}

// filesPort is a node incarnation's view of its disk's files.
type filesPort struct {
	inc *incarnation
	f   rt.Files
}

var _ rt.Files = (*filesPort)(nil)

func (p *filesPort) down() error {
	if p.inc.dead {
		return fmt.Errorf("files of crashed node %s: %w", p.inc.n.id, rt.ErrUnreachable)
	}
	return nil
}

// Write creates or replaces name.
func (p *filesPort) Write(name string, data []byte, sync bool) error {
	if err := p.down(); err != nil {
		return err
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
