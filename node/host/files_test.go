package host

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

func newTestFiles(t *testing.T) *Files {
	t.Helper()
	f, err := NewFiles(filepath.Join(t.TempDir(), "blocks"))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestFilesBasics(t *testing.T) {
	f := newTestFiles(t)
	for _, name := range []string{"a0", "a/b", "a.b", "ab/cd/e", "b"} {
		if err := f.Write(name, []byte("v-"+name), false); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Write("a/b", []byte("second"), true); err != nil {
		t.Fatal(err)
	}
	if got, err := f.Read("a/b"); err != nil || string(got) != "second" {
		t.Errorf("read a/b: got %q, %v; want %q", got, err, "second")
	}
	lists := []struct{ prefix, want string }{
		{"", "a.b a/b a0 ab/cd/e b"},
		{"a", "a.b a/b a0 ab/cd/e"},
		{"a/", "a/b"},
		{"ab/c", "ab/cd/e"},
		{"zz/", ""},
	}
	for _, l := range lists {
		got, err := f.List(l.prefix)
		if err != nil || strings.Join(got, " ") != l.want {
			t.Errorf("list %q: got %q, %v; want %q", l.prefix, got, err, l.want)
		}
	}
	if err := f.Remove("a0"); err != nil {
		t.Fatal(err)
	}
	if err := f.Remove("a0"); err != nil {
		t.Errorf("removing a missing file: %v", err)
	}
	if _, err := f.Read("a0"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("read removed file: got %v, want fs.ErrNotExist", err)
	}
}

func TestFilesRejectsBadNames(t *testing.T) {
	f := newTestFiles(t)
	for _, name := range []string{"", "/abs", "../up", "a/../../b", "a//b", "a/./b", "..", ".tmp-x", "d/.tmp-y"} {
		if err := f.Write(name, nil, false); err == nil {
			t.Errorf("write %q: got no error", name)
		}
	}
}

// TestFilesFsyncPath records fsync calls: a synced write syncs the
// temporary file before the rename and then its directory; an unsynced
// write syncs nothing.
func TestFilesFsyncPath(t *testing.T) {
	f := newTestFiles(t)
	var synced []string
	f.fsync = func(fl *os.File) error {
		st, err := fl.Stat()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(f.Root(), fl.Name())
		if st.IsDir() {
			synced = append(synced, "dir:"+filepath.ToSlash(rel))
		} else {
			synced = append(synced, "file:"+filepath.ToSlash(filepath.Dir(rel)))
		}
		return fl.Sync()
	}
	if err := f.Write("x/y/blk", []byte("data"), false); err != nil {
		t.Fatal(err)
	}
	if len(synced) != 0 {
		t.Fatalf("unsynced write called fsync: %v", synced)
	}
	if err := f.Write("x/y/blk", []byte("data2"), true); err != nil {
		t.Fatal(err)
	}
	if want := []string{"file:x/y", "dir:x/y"}; !slices.Equal(synced, want) {
		t.Errorf("fsync sequence %v, want %v", synced, want)
	}
	// New directories: each new entry is synced in its parent.
	synced = nil
	if err := f.Write("p/q/blk", []byte("data"), true); err != nil {
		t.Fatal(err)
	}
	if want := []string{"file:p/q", "dir:.", "dir:p", "dir:p/q"}; !slices.Equal(synced, want) {
		t.Errorf("fsync sequence with new directories %v, want %v", synced, want)
	}
}

// TestFilesFailedWriteKeepsOld makes the fsync fail: the old content must
// stay and no temporary file may remain.
func TestFilesFailedWriteKeepsOld(t *testing.T) {
	f := newTestFiles(t)
	if err := f.Write("k", []byte("old"), true); err != nil {
		t.Fatal(err)
	}
	f.fsync = func(*os.File) error { return errors.New("injected fsync failure") }
	if err := f.Write("k", []byte("new"), true); err == nil {
		t.Fatal("write with a failing fsync succeeded")
	}
	if got, _ := f.Read("k"); string(got) != "old" {
		t.Errorf("content after failed write: got %q, want %q", got, "old")
	}
	entries, _ := os.ReadDir(f.Root())
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries, want only k: %v", len(entries), entries)
	}
}

// TestFilesAtomicReplace reads while a writer alternates two large
// contents: every read must return one of them whole.
func TestFilesAtomicReplace(t *testing.T) {
	f := newTestFiles(t)
	a, b := bytes.Repeat([]byte{'a'}, 256<<10), bytes.Repeat([]byte{'b'}, 100<<10)
	if err := f.Write("blk", a, false); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			f.Write("blk", [][]byte{a, b}[i%2], false)
		}
	})
	for range 200 {
		got, err := f.Read("blk")
		if err != nil || !(bytes.Equal(got, a) || bytes.Equal(got, b)) {
			t.Errorf("read %d bytes (%v): a torn or missing file", len(got), err)
			break
		}
	}
	close(stop)
	wg.Wait()
	if names, _ := f.List(""); !slices.Equal(names, []string{"blk"}) {
		t.Errorf("list after writes: %v, want [blk]", names)
	}
}

// TestListPageReadsFewDirs checks that paging costs about the page, not the
// store: paging through 1024 files in 80 directories, 16 at a time, reads
// a few directories per page instead of every directory each time.
func TestListPageReadsFewDirs(t *testing.T) {
	f := newTestFiles(t)
	for i := range 1024 {
		name := fmt.Sprintf("blocks/%02x/%02x/f%04d", i%16, i/16%4, i)
		if err := f.Write(name, nil, false); err != nil {
			t.Fatal(err)
		}
	}
	reads := 0
	f.readDir = func(dir string) ([]os.DirEntry, error) {
		reads++
		return os.ReadDir(dir)
	}
	const limit, dirs = 16, 1 + 1 + 16 + 64
	pages := 0
	for after := ""; ; pages++ {
		page, err := f.ListPage("blocks/", after, limit)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) < limit {
			break
		}
		after = page[limit-1]
	}
	if pages != 1024/limit {
		t.Fatalf("%d full pages, want %d", pages, 1024/limit)
	}
	// Each page reads the directories down to after, then those it spans.
	if max := 4*(pages+1) + 2*dirs; reads > max {
		t.Errorf("%d directory reads for %d pages, want at most %d (a full walk per page would read %d)",
			reads, pages+1, max, (pages+1)*dirs)
	}
}

// TestFilesDirectIO writes files of sizes around the alignment, the
// direct threshold and the chunk size with DirectIO on, synced and not,
// over older content, and reads each back byte for byte.
func TestFilesDirectIO(t *testing.T) {
	f := newTestFiles(t).DirectIO()
	sizes := []int{0, 1, 4095, 4096, directMin - 1, directMin, directMin + 1, 1<<20 - 1, 1 << 20, 1<<20 + 4097, 3<<20 + 5}
	for i, n := range sizes {
		data := make([]byte, n)
		for j := range data {
			data[j] = byte(j*31 + i)
		}
		name := fmt.Sprintf("d%d/blk", i%3)
		if err := f.Write(name, data, i%2 == 0); err != nil {
			t.Fatalf("write %d bytes: %v", n, err)
		}
		got, err := f.Read(name)
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("read back %d bytes: got %d bytes (equal %v), %v", n, len(got), bytes.Equal(got, data), err)
		}
	}
	if directSupported && !f.direct.Load() {
		t.Logf("the file system of %s refused O_DIRECT: ordinary writes were checked", f.Root())
	}
}

// TestFilesFailedNewWriteLeavesNothing makes the fsync of a synced write
// of a new name fail (that write renames before it syncs): the write
// fails and leaves neither the name nor a temporary file.
func TestFilesFailedNewWriteLeavesNothing(t *testing.T) {
	f := newTestFiles(t)
	f.fsync = func(*os.File) error { return errors.New("injected fsync failure") }
	if err := f.Write("d/k", []byte("new"), true); err == nil {
		t.Fatal("write with a failing fsync succeeded")
	}
	if _, err := f.Read("d/k"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("read after failed write: got %v, want not exist", err)
	}
	entries, _ := os.ReadDir(filepath.Join(f.Root(), "d"))
	if len(entries) != 0 {
		t.Errorf("directory holds %v after a failed write, want nothing", entries)
	}
}
