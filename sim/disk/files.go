package disk

import (
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/gogarage/garage/node/rt"
)

// files is the sim block-file store: durable files, and an overlay of
// files written without sync that a crash discards.
type files struct {
	d       *Disk
	durable map[string][]byte
	pending map[string][]byte
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
	return nil
}

// List returns the names starting with prefix, sorted.
func (f *files) List(prefix string) ([]string, error) {
	if err := f.d.fault("list " + prefix); err != nil {
		return nil, err
	}
	var names []string
	for _, m := range []map[string][]byte{f.durable, f.pending} {
		for name := range m {
			if strings.HasPrefix(name, prefix) {
				names = append(names, name)
			}
		}
	}
	sort.Strings(names)
	return dedupSorted(names), nil
}

func dedupSorted(s []string) []string {
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// sync makes every pending file durable.
func (f *files) sync() {
	for _, name := range sortedNames(f.pending) {
		f.durable[name] = f.pending[name]
	}
	clear(f.pending)
}

// crash discards the files written without sync.
func (f *files) crash() { clear(f.pending) }

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
