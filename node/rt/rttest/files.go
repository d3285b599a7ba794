package rttest

import (
	"bytes"
	"errors"
	"io/fs"
	"math/rand/v2"
	"testing"

	"github.com/gogarage/garage/node/rt"
)

// TestFiles runs the rt.Files conformance suite. open must return a fresh,
// empty store each time it is called; it registers its own cleanup with t.
func TestFiles(t *testing.T, open func(t *testing.T) rt.Files) {
	cases := []struct {
		name string
		fn   func(t *testing.T, f rt.Files)
	}{
		{"WriteRead", filesWriteRead},
		{"Replace", filesReplace},
		{"EmptyFile", filesEmpty},
		{"LargeFile", filesLarge},
		{"ReadMissingIsNotExist", filesReadMissing},
		{"Remove", filesRemove},
		{"RemoveMissing", filesRemoveMissing},
		{"NestedNames", filesNested},
		{"ListByPrefixSorted", filesList},
		{"ListSortsFullNames", filesListOrder},
		{"WriteCopiesInput", filesWriteCopies},
		{"ReadReturnsCopy", filesReadCopy},
		{"StatSize", filesStat},
		{"StatMissingIsNotExist", filesStatMissing},
		{"ListPageEqualsList", filesPageEqualsList},
		{"ListPageAfter", filesPageAfter},
		{"ListPageBadLimit", filesPageBadLimit},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { c.fn(t, open(t)) })
	}
}

func write(t *testing.T, f rt.Files, name string, data []byte, sync bool) {
	t.Helper()
	if err := f.Write(name, data, sync); err != nil {
		t.Fatalf("write %s: %v", name, err)
	}
}

func wantFile(t *testing.T, f rt.Files, name string, want []byte) {
	t.Helper()
	got, err := f.Read(name)
	if err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("read %s = %s, want %s", name, show(got), show(want))
	}
}

func wantNotExist(t *testing.T, f rt.Files, name string) {
	t.Helper()
	got, err := f.Read(name)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("read %s = %s, %v; want an error wrapping fs.ErrNotExist", name, show(got), err)
	}
}

func wantList(t *testing.T, f rt.Files, prefix string, want []string) {
	t.Helper()
	got, err := f.List(prefix)
	if err != nil {
		t.Fatalf("list %q: %v", prefix, err)
	}
	if !equalStrings(got, want) {
		t.Errorf("list %q = %q, want %q", prefix, got, want)
	}
}

func filesWriteRead(t *testing.T, f rt.Files) {
	for i, sync := range []bool{true, false} {
		name := []string{"synced", "unsynced"}[i]
		write(t, f, name, []byte("data of "+name), sync)
		wantFile(t, f, name, []byte("data of "+name))
	}
}

func filesReplace(t *testing.T, f rt.Files) {
	for _, v := range []string{"first version", "2", "a third, longer version of the file"} {
		write(t, f, "blk", []byte(v), true)
		wantFile(t, f, "blk", []byte(v))
	}
	wantList(t, f, "", []string{"blk"})
}

func filesEmpty(t *testing.T, f rt.Files) {
	write(t, f, "empty", nil, true)
	write(t, f, "dir/empty", []byte{}, false)
	for _, name := range []string{"empty", "dir/empty"} {
		got, err := f.Read(name)
		if err != nil || len(got) != 0 {
			t.Errorf("read %s = %s, %v; want empty, nil", name, show(got), err)
		}
	}
	wantList(t, f, "", []string{"dir/empty", "empty"})
}

func filesLarge(t *testing.T, f rt.Files) {
	big := make([]byte, 1<<20+17)
	r := rand.New(rand.NewPCG(5, 6))
	for i := range big {
		big[i] = byte(r.Uint32())
	}
	write(t, f, "ab/cd/big", big, true)
	wantFile(t, f, "ab/cd/big", big)
}

func filesReadMissing(t *testing.T, f rt.Files) {
	wantNotExist(t, f, "nothing")
	wantNotExist(t, f, "no/such/dir/file")
	write(t, f, "dir/a", []byte("a"), false)
	wantNotExist(t, f, "dir/b")
}

func filesRemove(t *testing.T, f rt.Files) {
	write(t, f, "d/a", []byte("a"), true)
	write(t, f, "d/b", []byte("b"), true)
	if err := f.Remove("d/a"); err != nil {
		t.Fatalf("remove d/a: %v", err)
	}
	wantNotExist(t, f, "d/a")
	wantFile(t, f, "d/b", []byte("b"))
	wantList(t, f, "", []string{"d/b"})
	if err := f.Remove("d/b"); err != nil {
		t.Fatalf("remove d/b: %v", err)
	}
	wantList(t, f, "", nil)
	write(t, f, "d/a", []byte("again"), false)
	wantFile(t, f, "d/a", []byte("again"))
}

func filesRemoveMissing(t *testing.T, f rt.Files) {
	write(t, f, "dir/x", []byte("x"), false)
	for _, name := range []string{"nothing", "dir/nothing", "no/such/dir/file"} {
		if err := f.Remove(name); err != nil {
			t.Errorf("remove of missing %s = %v, want nil", name, err)
		}
	}
	wantFile(t, f, "dir/x", []byte("x"))
}

func filesNested(t *testing.T, f rt.Files) {
	names := []string{"a", "a1/b", "a1/b2/c", "a1/b2/c3/d", "z/y/x/w/v/u"}
	for _, n := range names {
		write(t, f, n, []byte("content of "+n), false)
	}
	for _, n := range names {
		wantFile(t, f, n, []byte("content of "+n))
	}
	wantList(t, f, "", names)
}

func filesList(t *testing.T, f rt.Files) {
	names := []string{"blocks/ab/01", "blocks/ab/02", "blocks/ac/03", "blocks/b0/04", "meta", "tmpx"}
	for _, i := range []int{3, 0, 5, 2, 4, 1} {
		write(t, f, names[i], []byte{byte(i)}, false)
	}
	cases := []struct {
		prefix string
		want   []string
	}{
		{"", names},
		{"blocks/", names[:4]},
		{"blocks/a", names[:3]},
		{"blocks/ab/", names[:2]},
		{"blocks/ab/02", names[1:2]},
		{"m", []string{"meta"}},
		{"blocks/c", nil},
		{"nothing/", nil},
		{"meta/", nil},
	}
	for _, c := range cases {
		wantList(t, f, c.prefix, c.want)
	}
}

func filesListOrder(t *testing.T, f rt.Files) {
	// A directory walk yields "a/b" before "a.b"; as strings "a.b" < "a/b".
	for _, n := range []string{"a0", "a/b", "a.b", "a/a", "a-"} {
		write(t, f, n, []byte(n), false)
	}
	wantList(t, f, "", []string{"a-", "a.b", "a/a", "a/b", "a0"})
	wantList(t, f, "a", []string{"a-", "a.b", "a/a", "a/b", "a0"})
}

func filesWriteCopies(t *testing.T, f rt.Files) {
	data := []byte("original")
	write(t, f, "x", data, false)
	copy(data, "CHANGED!")
	wantFile(t, f, "x", []byte("original"))
}

func filesReadCopy(t *testing.T, f rt.Files) {
	write(t, f, "x", []byte("original"), false)
	got, err := f.Read("x")
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	copy(got, "CHANGED!")
	wantFile(t, f, "x", []byte("original"))
}
