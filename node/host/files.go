package host

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/gogarage/garage/node/rt"
)

// tempPrefix marks files being written; List never shows them.
const tempPrefix = ".tmp-"

// Files stores whole files under a root directory. Writes are atomic: data
// goes to a temporary file in the target's directory which is then renamed
// over the target, so a reader sees the old or the new content, never a
// mix. With sync, the file and its directory are fsynced before Write
// returns, so both the content and the name survive a power loss (see
// Write for the order).
type Files struct {
	root    string
	fsync   func(f *os.File) error                  // f.Sync; replaced in tests to observe or fail it
	readDir func(dir string) ([]os.DirEntry, error) // os.ReadDir; replaced in tests to count reads
	// direct writes files of at least directMin bytes with O_DIRECT
	// (see DirectIO); cleared when the file system refuses it.
	direct atomic.Bool
	// noReplace: rename with RENAME_NOREPLACE is tried for synced writes
	// (see Write); cleared when the file system refuses it.
	noReplace atomic.Bool

	poolMu sync.Mutex
	pool   [][]byte // free read buffers (ReadPooled), at most readPoolMax
}

// The buffers ReadPooled keeps: at most readPoolMax of them (16 MiB at
// the default 1 MiB blocks, for 8 concurrent large GETs and their
// prefetch), none smaller than readPoolMin (a small read costs little;
// small buffers would crowd out the large ones) or larger than
// readPoolCap.
const (
	readPoolMax = 16
	readPoolMin = 64 << 10
	readPoolCap = 8 << 20
)

var (
	_ rt.Files        = (*Files)(nil)
	_ rt.PooledReader = (*Files)(nil)
)

// NewFiles returns a store rooted at dir, creating dir if needed.
func NewFiles(dir string) (*Files, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("files: create root: %w", err)
	}
	s := &Files{root: dir, fsync: (*os.File).Sync, readDir: os.ReadDir}
	s.noReplace.Store(noReplaceSupported)
	return s, nil
}

// DirectIO makes the store write files of at least directMin bytes
// around the page cache (O_DIRECT, Linux), as MinIO does for object data:
// the data goes from the writer's buffer to the device without a copy
// into cached pages, which costs several times less CPU per byte (about
// 0.3 against 2.5 ms per MiB, measured on this project's build machine)
// and leaves the cache to the metadata and the data being read. A file
// system that refuses O_DIRECT (tmpfs) gets ordinary writes. It returns
// s.
func (s *Files) DirectIO() *Files {
	s.direct.Store(directSupported)
	return s
}

// Root returns the directory the store lives in.
func (s *Files) Root() string { return s.root }

// checkName rejects names that would escape the root or are not canonical.
func checkName(name string) error {
	if name == "" || strings.HasPrefix(name, "/") || path.Clean(name) != name ||
		name == ".." || strings.HasPrefix(name, "../") {
		return fmt.Errorf("files: invalid name %q", name)
	}
	if strings.HasPrefix(path.Base(name), tempPrefix) {
		return fmt.Errorf("files: reserved name %q", name)
	}
	return nil
}

func (s *Files) local(name string) string {
	return filepath.Join(s.root, filepath.FromSlash(name))
}

// Write atomically creates or replaces name with data; with sync the data
// and the directory entry are durable when it returns.
//
// A synced write of a new name (most block writes) renames the unsynced
// temporary file into place with RENAME_NOREPLACE, then syncs the file
// and the directory: one journal commit of the file system carries the
// new inode, its data and its name, and the directory's sync finds it
// done, where syncing before the rename took two commits. A crash before
// the sync may leave the name with incomplete content on a file system
// that orders the rename before the data; nothing was acknowledged, and
// block files carry a checksum that reads check. Replacing an existing
// name syncs the new content before the rename, so a crash leaves the old
// or the new content, never a mix.
func (s *Files) Write(name string, data []byte, sync bool) error {
	if err := checkName(name); err != nil {
		return err
	}
	dst := s.local(name)
	dir := filepath.Dir(dst)
	// The directory usually exists: try first, create it on ENOENT.
	var created []string
	f, err := s.writeTemp(dir, data)
	if errors.Is(err, fs.ErrNotExist) {
		if created, err = mkdirs(dir); err == nil {
			f, err = s.writeTemp(dir, data)
		}
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	tmp := f.Name()
	fresh := false // dst was new, and f is there unsynced
	if sync && s.noReplace.Load() {
		switch err := renameNoReplace(tmp, dst); {
		case err == nil:
			fresh = true
		case errors.Is(err, errors.ErrUnsupported): // the usual order from now on
			s.noReplace.Store(false)
		}
	}
	if !fresh {
		err = s.replace(f, dst, sync)
	} else if err = s.fsync(f); err != nil {
		removeIfSame(dst, f) // a new name: nothing older is lost
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	if sync {
		if err := s.syncDirs(dir, created); err != nil {
			return fmt.Errorf("write %s: %w", name, err)
		}
	}
	return nil
}

// removeIfSame removes name if it still is f's file (not a file a
// concurrent write renamed over it since).
func removeIfSame(name string, f *os.File) {
	a, err1 := os.Stat(name)
	b, err2 := f.Stat()
	if err1 == nil && err2 == nil && os.SameFile(a, b) {
		os.Remove(name)
	}
}

// replace syncs the temporary file f if sync, then renames it over dst;
// on error f's name is removed.
func (s *Files) replace(f *os.File, dst string, sync bool) error {
	var err error
	if sync {
		err = s.fsync(f)
	}
	if err == nil {
		err = os.Rename(f.Name(), dst)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// mkdirs creates dir and its missing parents and returns the directories
// it created, outermost first.
func mkdirs(dir string) ([]string, error) {
	var missing []string
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(d); err == nil || filepath.Dir(d) == d {
			break
		}
		missing = append(missing, d)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	slices.Reverse(missing)
	return missing, nil
}

// syncDirs makes the new entry in dir durable, and the entries of the
// directories created for it in their parents.
func (s *Files) syncDirs(dir string, created []string) error {
	for _, d := range created {
		if err := s.syncDir(filepath.Dir(d)); err != nil {
			return err
		}
	}
	return s.syncDir(dir)
}

// writeTemp writes data, unsynced, to a new temporary file in dir and
// returns it open; on error nothing is left behind.
func (s *Files) writeTemp(dir string, data []byte) (*os.File, error) {
	f, err := os.CreateTemp(dir, tempPrefix+"*")
	if err != nil {
		return nil, err
	}
	if s.direct.Load() && len(data) >= directMin {
		var ok bool
		if ok, err = writeDirect(f, data); !ok {
			s.direct.Store(false)
		}
	} else {
		_, err = f.Write(data)
	}
	if err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	return f, nil
}

func (s *Files) syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = s.fsync(d)
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// Read returns the content of name; a missing file gives an error wrapping
// fs.ErrNotExist.
func (s *Files) Read(name string) ([]byte, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	b, err := os.ReadFile(s.local(name))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	return b, nil
}

// ReadPooled is Read into a buffer from the store's pool (see
// rt.PooledReader): a large read costs the zeroing and the collection of
// a fresh buffer otherwise, an eighth of the CPU of a large GET.
func (s *Files) ReadPooled(name string) ([]byte, func(), error) {
	if err := checkName(name); err != nil {
		return nil, nil, err
	}
	f, err := os.Open(s.local(name))
	if err != nil {
		return nil, nil, fmt.Errorf("read %s: %w", name, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, nil, fmt.Errorf("read %s: %w", name, err)
	}
	buf := s.takeBuf(int(st.Size()))
	// Files are replaced by rename, never changed in place: the open
	// file keeps its size.
	if _, err := io.ReadFull(f, buf); err != nil {
		s.giveBuf(buf)
		return nil, nil, fmt.Errorf("read %s: %w", name, err)
	}
	var once sync.Once
	return buf, func() { once.Do(func() { s.giveBuf(buf) }) }, nil
}

// takeBuf returns a buffer of n bytes: the smallest of the pool that is
// large enough, or a new one (always for a small read).
func (s *Files) takeBuf(n int) []byte {
	if n < readPoolMin {
		return make([]byte, n)
	}
	s.poolMu.Lock()
	best := -1
	for i, b := range s.pool {
		if cap(b) >= n && (best < 0 || cap(b) < cap(s.pool[best])) {
			best = i
		}
	}
	if best >= 0 {
		b := s.pool[best]
		last := len(s.pool) - 1
		s.pool[best], s.pool[last] = s.pool[last], nil
		s.pool = s.pool[:last]
		s.poolMu.Unlock()
		return b[:n]
	}
	s.poolMu.Unlock()
	return make([]byte, n)
}

// giveBuf puts b back in the pool, unless the pool is full or b too
// large to keep.
func (s *Files) giveBuf(b []byte) {
	if cap(b) > readPoolCap || cap(b) < readPoolMin {
		return
	}
	s.poolMu.Lock()
	if len(s.pool) < readPoolMax {
		s.pool = append(s.pool, b[:0])
	}
	s.poolMu.Unlock()
}

// Remove deletes name; a missing file is not an error.
func (s *Files) Remove(name string) error {
	if err := checkName(name); err != nil {
		return err
	}
	err := os.Remove(s.local(name))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove %s: %w", name, err)
	}
	return nil
}

// List returns the names of the files whose name starts with prefix (a
// plain string prefix), sorted. Temporary files are not listed.
func (s *Files) List(prefix string) ([]string, error) {
	base := ""
	if i := strings.LastIndex(prefix, "/"); i >= 0 {
		base = prefix[:i]
	}
	start := filepath.Join(s.root, filepath.FromSlash(base))
	var names []string
	err := filepath.WalkDir(start, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || strings.HasPrefix(d.Name(), tempPrefix) {
			return nil
		}
		rel, err := filepath.Rel(s.root, p)
		if err != nil {
			return err
		}
		if name := filepath.ToSlash(rel); strings.HasPrefix(name, prefix) {
			names = append(names, name)
		}
		return nil
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("list %q: %w", prefix, err)
	}
	slices.Sort(names)
	return names, nil
}

// Stat describes the file name; a missing file, or a directory, gives an
// error wrapping fs.ErrNotExist.
func (s *Files) Stat(name string) (rt.FileInfo, error) {
	if err := checkName(name); err != nil {
		return rt.FileInfo{}, err
	}
	fi, err := os.Stat(s.local(name))
	if err == nil && fi.IsDir() {
		err = fs.ErrNotExist
	}
	if err != nil {
		return rt.FileInfo{}, fmt.Errorf("stat %s: %w", name, err)
	}
	return rt.FileInfo{Name: name, Size: fi.Size()}, nil
}

// ListPage returns at most limit names starting with prefix and sorting
// after after, in List's order. It walks the tree in that order, reading
// only the directories that can hold such names, and stops at the limit.
func (s *Files) ListPage(prefix, after string, limit int) ([]string, error) {
	if limit <= 0 {
		return nil, fmt.Errorf("list page %q: limit %d is not positive", prefix, limit)
	}
	p := pager{s: s, prefix: prefix, after: after, limit: limit}
	if _, err := p.dir(""); err != nil {
		return nil, fmt.Errorf("list page %q after %q: %w", prefix, after, err)
	}
	return p.names, nil
}

// pager walks a Files tree in full-name order for ListPage.
type pager struct {
	s             *Files
	prefix, after string
	limit         int
	names         []string
}

// dirEntry is a directory entry with its sort key: its full name, plus a
// slash for a directory, since every name under it continues with one.
// Siblings in key order hold names in full-name order ("a-c" < "a/x"
// although a walk sorting by entry name visits "a" first).
type dirEntry struct {
	key string
	dir bool
}

// dir lists the directory rel ("" for the root, else ending in "/") in
// key order, and reports whether the walk must stop (page full, or past
// the prefix).
func (p *pager) dir(rel string) (stop bool, err error) {
	entries, err := p.entries(rel)
	if err != nil {
		return false, err
	}
	for _, e := range entries {
		if stop, err = p.visit(e); stop || err != nil {
			return stop, err
		}
	}
	return false, nil
}

// visit handles one entry: it adds a file that belongs to the page, enters
// a directory that may hold such names, and reports whether the walk is
// over.
func (p *pager) visit(e dirEntry) (stop bool, err error) {
	if !related(e.key, p.prefix) {
		return e.key > p.prefix, nil // every later key is past the prefix too
	}
	if e.dir {
		if p.after >= e.key && !strings.HasPrefix(p.after, e.key) {
			return false, nil // the whole subtree sorts at or before after
		}
		return p.dir(e.key)
	}
	if e.key <= p.after || !strings.HasPrefix(e.key, p.prefix) {
		return false, nil
	}
	p.names = append(p.names, e.key)
	return len(p.names) == p.limit, nil
}

// related reports whether one of a and b is a prefix of the other: whether
// names under key a can start with prefix b.
func related(a, b string) bool {
	return strings.HasPrefix(a, b) || strings.HasPrefix(b, a)
}

// entries reads the directory rel and returns its entries, temporary
// files left out, in key order. A missing directory has no entries.
func (p *pager) entries(rel string) ([]dirEntry, error) {
	des, err := p.s.readDir(p.s.local(strings.TrimSuffix(rel, "/")))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	out := make([]dirEntry, 0, len(des))
	for _, de := range des {
		if !de.IsDir() && strings.HasPrefix(de.Name(), tempPrefix) {
			continue
		}
		e := dirEntry{key: rel + de.Name(), dir: de.IsDir()}
		if e.dir {
			e.key += "/"
		}
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b dirEntry) int { return strings.Compare(a.key, b.key) })
	return out, nil
}
