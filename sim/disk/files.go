package disk

import (
	"bytes"
	"fmt"
	"io/fs"
	"sort"

	"github.com/gogarage/garage/node/rt"
)

// files is the sim block-file store: durable files, and an overlay of
// files written without sync that a crash discards. names indexes every
// file of either layer in sorted order (a tree of keys without values), so
// that listing a page costs its size and a search, not a sort of the store.
type files struct {
	d       *Disk
	durable map[string][]byte
	pending map[string][]byte
	names   tree
}

var _ rt.Files = (*files)(nil)

func newFiles(d *Disk) *files {
	return &files{d: d, durable: map[string][]byte{}, pending: map[string][]byte{}}
}

// Write replaces name with a copy of data, durably if sync is set.
func (f *files) Write(name string, data []byte, sync bool) error {
	if err := f.d.fault("write " + name); err != nil {
		return err
	}
	c := append(make([]byte, 0, len(data)), data...)
	f.names.put([]byte(name), nil)
	if sync {
		f.durable[name] = c
		delete(f.pending, name)
		return nil
	}
	f.pending[name] = c
	return nil
}

// Read returns a copy of name's content.
func (f *files) Read(name string) ([]byte, error) {
	if err := f.d.fault("read " + name); err != nil {
		return nil, err
	}
	data, ok := f.pending[name]
	if !ok {
		data, ok = f.durable[name]
	}
	if !ok {
		return nil, fmt.Errorf("read %s: %w", name, fs.ErrNotExist)
	}
	return append(make([]byte, 0, len(data)), data...), nil
}

// Remove deletes name from both layers: the simulator treats an unlink
// as durable at once.
func (f *files) Remove(name string) error {
	if err := f.d.fault("remove " + name); err != nil {
		return err
	}
	delete(f.pending, name)
	delete(f.durable, name)
	f.names.del([]byte(name))
	return nil
}

// List returns the names starting with prefix, sorted.
func (f *files) List(prefix string) ([]string, error) {
	if err := f.d.fault("list " + prefix); err != nil {
		return nil, err
	}
	return f.page(prefix, "", -1), nil
}

// Stat describes name.
func (f *files) Stat(name string) (rt.FileInfo, error) {
	if err := f.d.fault("stat " + name); err != nil {
		return rt.FileInfo{}, err
	}
	data, ok := f.pending[name]
	if !ok {
		data, ok = f.durable[name]
	}
	if !ok {
		return rt.FileInfo{}, fmt.Errorf("stat %s: %w", name, fs.ErrNotExist)
	}
	return rt.FileInfo{Name: name, Size: int64(len(data))}, nil
}

// ListPage returns at most limit names starting with prefix and sorting
// after after, from the sorted index.
func (f *files) ListPage(prefix, after string, limit int) ([]string, error) {
	if limit <= 0 {
		return nil, fmt.Errorf("list page %q: limit %d is not positive", prefix, limit)
	}
	if err := f.d.fault("list " + prefix); err != nil {
		return nil, err
	}
	return f.page(prefix, after, limit), nil
}

// page returns the indexed names starting with prefix and sorting after
// after, at most limit of them (all if limit is negative).
func (f *files) page(prefix, after string, limit int) []string {
	var names []string
	var last []byte
	if after >= prefix {
		last = []byte(after)
	}
	start := []byte(prefix)
	for limit < 0 || len(names) < limit {
		e, ok := f.names.step(start, nil, last, false)
		if !ok || !bytes.HasPrefix(e.key, start) {
			break
		}
		names = append(names, string(e.key))
		last = e.key
	}
	return names
}

// sync makes every pending file durable.
func (f *files) sync() {
	for _, name := range sortedNames(f.pending) {
		f.durable[name] = f.pending[name]
	}
	clear(f.pending)
}

// crash discards the files written without sync.
func (f *files) crash() {
	for _, name := range sortedNames(f.pending) {
		if _, kept := f.durable[name]; !kept {
			f.names.del([]byte(name))
		}
	}
	clear(f.pending)
}

// corrupt flips one byte of name in every layer holding it and reports
// whether the file exists.
func (f *files) corrupt(name string, at int) bool {
	found := false
	for _, m := range []map[string][]byte{f.durable, f.pending} {
		data, ok := m[name]
		if !ok {
			continue
		}
		found = true
		c := append([]byte(nil), data...)
		if len(c) == 0 {
			c = []byte{0}
		}
		c[at%len(c)] ^= 0xff
		m[name] = c
	}
	return found
}

func sortedNames(m map[string][]byte) []string {
	names := make([]string, 0, len(m))
	for name := range m {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}
