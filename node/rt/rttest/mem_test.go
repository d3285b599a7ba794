package rttest

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strings"

	"github.com/gogarage/garage/node/rt"
)

// memKV is a minimal in-memory rt.KV used to check the suite itself. A
// non-empty broken names one deliberate bug the suite must catch.
type memKV struct {
	trees  map[string]map[string][]byte
	broken string
}

var _ rt.KV = (*memKV)(nil)

func (kv *memKV) View(fn func(tx rt.ReadTx) error) error {
	return fn(&memTx{kv: kv, trees: kv.trees})
}

func (kv *memKV) Update(fn func(tx rt.Tx) error) error {
	staged := kv.trees
	if kv.broken != "no-rollback" {
		staged = make(map[string]map[string][]byte, len(kv.trees))
		for name, tree := range kv.trees {
			staged[name] = maps.Clone(tree)
		}
	}
	tx := &memTx{kv: kv, trees: staged}
	if err := fn(tx); err != nil {
		return fmt.Errorf("memkv update: %w", err)
	}
	kv.trees = tx.trees
	return nil
}

func (kv *memKV) Sync() error { return nil }

type memTx struct {
	kv    *memKV
	trees map[string]map[string][]byte
}

func (tx *memTx) tree(name string) string {
	if tx.kv.broken == "shared-trees" {
		return name[:1]
	}
	return name
}

func (tx *memTx) Get(tree string, key []byte) ([]byte, error) {
	v := tx.trees[tx.tree(tree)][string(key)]
	if len(v) == 0 && tx.kv.broken == "empty-as-nil" {
		return nil, nil
	}
	return v, nil
}

func (tx *memTx) Scan(tree string, start, end []byte, reverse bool, fn func(k, v []byte) bool) error {
	t := tx.trees[tx.tree(tree)]
	keys := slices.Sorted(maps.Keys(t))
	if reverse {
		slices.Reverse(keys)
	}
	for _, k := range keys {
		if !tx.inRange([]byte(k), start, end, reverse) {
			continue
		}
		if !fn([]byte(k), t[k]) && tx.kv.broken != "ignore-stop" {
			return nil
		}
	}
	return nil
}

func (tx *memTx) inRange(k, start, end []byte, reverse bool) bool {
	if start != nil && bytes.Compare(k, start) < 0 && !(reverse && tx.kv.broken == "reverse-unbounded") {
		return false
	}
	last := 0
	if tx.kv.broken == "end-inclusive" {
		last = 1
	}
	return end == nil || bytes.Compare(k, end) < last
}

func (tx *memTx) Put(tree string, key, value []byte) error {
	if tx.trees == nil {
		tx.trees = map[string]map[string][]byte{}
	}
	name := tx.tree(tree)
	if tx.trees[name] == nil {
		tx.trees[name] = map[string][]byte{}
	}
	if tx.kv.broken != "alias-put" {
		value = append([]byte{}, value...)
	}
	tx.trees[name][string(key)] = value
	return nil
}

func (tx *memTx) Delete(tree string, key []byte) error {
	delete(tx.trees[tx.tree(tree)], string(key))
	return nil
}

// memFiles is a minimal in-memory rt.Files used to check the suite itself.
type memFiles struct {
	files  map[string][]byte
	broken string
}

var _ rt.Files = (*memFiles)(nil)

func (f *memFiles) Write(name string, data []byte, sync bool) error {
	if f.files == nil {
		f.files = map[string][]byte{}
	}
	f.files[name] = append([]byte{}, data...)
	return nil
}

func (f *memFiles) Read(name string) ([]byte, error) {
	data, ok := f.files[name]
	switch {
	case !ok && f.broken == "plain-not-found":
		return nil, errors.New("not found")
	case !ok:
		return nil, fmt.Errorf("memfiles read %s: %w", name, fs.ErrNotExist)
	case f.broken == "alias-read":
		return data, nil
	}
	return append([]byte{}, data...), nil
}

func (f *memFiles) Remove(name string) error {
	if _, ok := f.files[name]; !ok && f.broken == "remove-missing-fails" {
		return fmt.Errorf("memfiles remove %s: %w", name, fs.ErrNotExist)
	}
	delete(f.files, name)
	return nil
}

func (f *memFiles) List(prefix string) ([]string, error) {
	var names []string
	for name := range f.files {
		if f.matches(name, prefix) {
			names = append(names, name)
		}
	}
	if f.broken == "walk-order" {
		slices.SortFunc(names, func(a, b string) int {
			return slices.Compare(strings.Split(a, "/"), strings.Split(b, "/"))
		})
		return names, nil
	}
	slices.Sort(names)
	return names, nil
}

func (f *memFiles) matches(name, prefix string) bool {
	if f.broken == "component-prefix" && prefix != "" && !strings.HasSuffix(prefix, "/") {
		return name == prefix || strings.HasPrefix(name, prefix+"/")
	}
	return strings.HasPrefix(name, prefix)
}

func (f *memFiles) Stat(name string) (rt.FileInfo, error) {
	data, ok := f.files[name]
	if !ok && f.broken != "stat-dir" {
		return rt.FileInfo{}, fmt.Errorf("memfiles stat %s: %w", name, fs.ErrNotExist)
	}
	if !ok && !f.isDir(name) {
		return rt.FileInfo{}, fmt.Errorf("memfiles stat %s: %w", name, fs.ErrNotExist)
	}
	return rt.FileInfo{Name: name, Size: int64(len(data))}, nil
}

// isDir reports whether name is a directory of some file.
func (f *memFiles) isDir(name string) bool {
	for n := range f.files {
		if strings.HasPrefix(n, name+"/") {
			return true
		}
	}
	return false
}

func (f *memFiles) ListPage(prefix, after string, limit int) ([]string, error) {
	if limit <= 0 {
		return nil, fmt.Errorf("memfiles list page: limit %d", limit)
	}
	all, _ := f.List(prefix)
	var page []string
	for _, name := range all {
		if name > after || (f.broken == "page-inclusive" && name == after) {
			page = append(page, name)
		}
		if len(page) == limit {
			break
		}
	}
	return page, nil
}
