package rttest

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/gogarage/garage/node/rt"
)

// The Stat and ListPage cases of TestFiles.

func filesStat(t *testing.T, f rt.Files) {
	big := make([]byte, 1<<20+17)
	for _, c := range []struct {
		name string
		data []byte
	}{{"empty", nil}, {"d/five", []byte("12345")}, {"d/e/big", big}, {"d/five", []byte("123")}} {
		write(t, f, c.name, c.data, false)
		got, err := f.Stat(c.name)
		if want := (rt.FileInfo{Name: c.name, Size: int64(len(c.data))}); err != nil || got != want {
			t.Errorf("stat %s = %+v, %v; want %+v, nil", c.name, got, err, want)
		}
	}
}

func filesStatMissing(t *testing.T, f rt.Files) {
	write(t, f, "d/e/x", []byte("x"), false)
	write(t, f, "gone", []byte("x"), false)
	if err := f.Remove("gone"); err != nil {
		t.Fatalf("remove gone: %v", err)
	}
	// "d" and "d/e" are directories of a file, not files.
	for _, name := range []string{"nothing", "d/nothing", "no/such/dir/file", "d", "d/e", "gone"} {
		got, err := f.Stat(name)
		if !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("stat %s = %+v, %v; want an error wrapping fs.ErrNotExist", name, got, err)
		}
	}
}

// pageNames returns n distinct names, depth 0 to 3, whose directories and
// files mix '-' and '.' (which sort before '/') with '/': no file name is
// also a directory of another file.
func pageNames(n int) []string {
	dirs := []string{"a", "a-b", "a.b", "ab"}
	leaves := []string{"a-%d", "a.%d", "a%d", "a-b-%d", "%d"}
	r := rand.New(rand.NewPCG(7, 8))
	names := make([]string, n)
	for i := range names {
		var b strings.Builder
		for range r.IntN(4) {
			b.WriteString(dirs[r.IntN(len(dirs))] + "/")
		}
		fmt.Fprintf(&b, leaves[r.IntN(len(leaves))], i)
		names[i] = b.String()
	}
	return names
}

// pageAll pages through prefix with limit per page and returns the
// concatenated pages, checking that each page but the last is full.
func pageAll(t *testing.T, f rt.Files, prefix string, limit int) []string {
	t.Helper()
	var all []string
	for after := ""; ; {
		page, err := f.ListPage(prefix, after, limit)
		if err != nil {
			t.Fatalf("list page %q after %q: %v", prefix, after, err)
		}
		if len(page) > limit {
			t.Fatalf("list page %q after %q: %d names, limit %d", prefix, after, len(page), limit)
		}
		all = append(all, page...)
		if len(page) < limit || len(all) > 10000 {
			return all
		}
		after = page[len(page)-1]
	}
}

func filesPageEqualsList(t *testing.T, f rt.Files) {
	for _, n := range pageNames(1000) {
		write(t, f, n, nil, false)
	}
	for _, c := range []struct {
		prefix string
		limit  int
	}{{"", 7}, {"", 1000}, {"", 1001}, {"a/", 7}, {"a-", 3}, {"a.b/a", 5}, {"ab/ab/", 2}, {"zz", 7}} {
		want, err := f.List(c.prefix)
		if err != nil {
			t.Fatalf("list %q: %v", c.prefix, err)
		}
		if c.prefix == "" && len(want) != 1000 {
			t.Fatalf("list of 1000 files has %d names", len(want))
		}
		if got := pageAll(t, f, c.prefix, c.limit); !slices.Equal(got, want) {
			t.Errorf("pages of %d under %q differ from List: %s", c.limit, c.prefix, firstDiff(got, want))
		}
	}
}

func filesPageAfter(t *testing.T, f rt.Files) {
	// In directory "a" a walk by entry name visits "x/" before "x-y".
	names := []string{"a-c/d", "a.b", "a/w", "a/x-y", "a/x.z/q", "a/x/z", "a0", "b/1", "b/2"}
	for _, i := range []int{5, 0, 8, 3, 1, 7, 4, 2, 6} {
		write(t, f, names[i], nil, false)
	}
	cases := []struct {
		prefix, after string
		limit         int
		want          []string
	}{
		{"", "", 3, names[:3]},
		{"", "a.b", 3, names[2:5]},  // strictly after an existing name
		{"", "a/x+", 2, names[3:5]}, // after a name that does not exist
		{"", "a/x", 4, names[3:7]},  // "a/x" is a directory: its files follow
		{"", "b/2", 3, nil},         // after the last name
		{"", "zzz", 3, nil},         // beyond the end
		{"a/", "", 10, names[2:6]},  // prefix "a/" excludes "a-c/d" and "a.b"
		{"a/", "0", 10, names[2:6]}, // after before the prefix
		{"a/", "a/x-y", 1, names[4:5]},
		{"a/", "a/y", 10, nil},      // past the prefix's names
		{"a/x", "", 10, names[3:6]}, // plain string prefix, not a component
		{"a-", "", 10, names[:1]},
		{"b/", "a", 1, names[7:8]},
		{"c", "", 5, nil},
	}
	for _, c := range cases {
		got, err := f.ListPage(c.prefix, c.after, c.limit)
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("list page %q after %q limit %d = %q, %v; want %q", c.prefix, c.after, c.limit, got, err, c.want)
		}
	}
}

func filesPageBadLimit(t *testing.T, f rt.Files) {
	write(t, f, "x", nil, false)
	for _, limit := range []int{0, -1} {
		if got, err := f.ListPage("", "", limit); err == nil {
			t.Errorf("list page with limit %d = %q, nil; want an error", limit, got)
		}
	}
}
