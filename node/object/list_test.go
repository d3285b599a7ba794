package object_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/gogarage/garage/node/model"
	"github.com/gogarage/garage/node/object"
)

// listKeys are the keys of the listing tests: nested "directories",
// multi-character separators, keys equal to a prefix, and bytes around
// the delimiter in sort order.
var listKeys = []string{
	"a", "a/", "a/b", "a/b/c", "a/c", "a--b", "a--b--c", "a-c", "a0", "b", "b/x", "b/y/z",
	"c//d", "photos/2024/jan.jpg", "photos/2024/feb.jpg", "photos/2025/mar.jpg", "photos/index.html",
	"z\xff", "z\xff\xff/a",
}

// model lists keys as S3 does, by brute force: keys under the prefix
// after start (exclusive start-after, or inclusive token), grouped, cut
// at max.
func listModel(keys []string, o object.ListOptions) (items []string, truncated bool) {
	sorted := slices.Clone(keys)
	slices.Sort(sorted)
	var all []string
	for _, k := range sorted {
		if !strings.HasPrefix(k, o.Prefix) || (o.Token == "" && o.StartAfter != "" && k <= o.StartAfter) || (o.Token != "" && k < o.Token) {
			continue
		}
		item := k
		if o.Delimiter != "" {
			if i := strings.Index(k[len(o.Prefix):], o.Delimiter); i >= 0 {
				item = "CP:" + k[:len(o.Prefix)+i+len(o.Delimiter)]
			}
		}
		if o.Token == "" && item == "CP:"+o.StartAfter {
			continue // a common prefix as start-after skips its group
		}
		if len(all) == 0 || all[len(all)-1] != item {
			all = append(all, item)
		}
	}
	max := o.MaxKeys
	if max < 0 {
		max = object.DefaultMaxKeys
	}
	if len(all) > max {
		return all[:max], true
	}
	return all, false
}

func pageItems(p object.ListPage) []string {
	var out []string
	for _, o := range p.Objects {
		out = append(out, o.Key)
	}
	for _, cp := range p.CommonPrefixes {
		out = append(out, "CP:"+cp)
	}
	slices.SortFunc(out, func(a, b string) int {
		return strings.Compare(strings.TrimPrefix(a, "CP:"), strings.TrimPrefix(b, "CP:"))
	})
	return out
}

func TestListEdgeCases(t *testing.T) {
	e := newEnv(t, opts{seed: 4})
	b := e.bucket("list")
	for i, k := range listKeys {
		e.put(i%5, b, k, []byte(k))
	}
	e.put(0, b, "deleted", []byte("x"))
	e.must(e.do(1, func(ctx context.Context, s *object.Service) error { _, err := s.Delete(ctx, b, "deleted"); return err }))
	e.must(e.do(2, func(ctx context.Context, s *object.Service) error {
		_, err := s.CreateUpload(ctx, b, "uploading", model.Meta{})
		return err
	}))
	cases := []object.ListOptions{
		{MaxKeys: -1},
		{Prefix: "a", MaxKeys: -1},
		{Prefix: "a/", MaxKeys: -1},
		{Delimiter: "/", MaxKeys: -1},
		{Prefix: "a", Delimiter: "/", MaxKeys: -1},
		{Prefix: "photos/", Delimiter: "/", MaxKeys: -1},
		{Delimiter: "--", MaxKeys: -1},
		{Prefix: "a-", Delimiter: "--", MaxKeys: -1},
		{Delimiter: "//", MaxKeys: -1},
		{StartAfter: "a/b", MaxKeys: -1},
		{StartAfter: "a/", Delimiter: "/", MaxKeys: -1},
		{StartAfter: "photos/", Prefix: "photos/", Delimiter: "/", MaxKeys: -1},
		{StartAfter: "zzz", MaxKeys: -1},
		{Prefix: "nothing", MaxKeys: -1},
		{MaxKeys: 0},
		{MaxKeys: 3},
		{Delimiter: "/", MaxKeys: 2},
		{Prefix: "z\xff", Delimiter: "/", MaxKeys: -1},
		{Delimiter: "\xff", MaxKeys: -1},
	}
	for _, o := range cases {
		var p object.ListPage
		e.must(e.do(3, func(ctx context.Context, s *object.Service) (err error) { p, err = s.List(ctx, b, o); return err }))
		want, trunc := listModel(listKeys, o)
		if got := pageItems(p); !slices.Equal(got, want) || p.Truncated != trunc {
			t.Errorf("list %#v:\n got %q truncated %v\nwant %q truncated %v", o, got, p.Truncated, want, trunc)
		}
	}
}

// TestListPagination pages through random listings with the token and
// with markers, and compares the concatenation with the model.
func TestListPagination(t *testing.T) {
	e := newEnv(t, opts{seed: 5})
	b := e.bucket("pages")
	for i, k := range listKeys {
		e.put(i%5, b, k, nil)
	}
	r := rand.New(rand.NewPCG(5, 5))
	prefixes, delims := []string{"", "a", "a/", "photos/", "z"}, []string{"", "/", "--", "b"}
	rounds := 30
	if *long {
		rounds = 300
	}
	for range rounds {
		o := object.ListOptions{Prefix: prefixes[r.IntN(len(prefixes))], Delimiter: delims[r.IntN(len(delims))],
			MaxKeys: 1 + r.IntN(4)}
		useMarker := r.IntN(2) == 0
		full := o
		full.MaxKeys = -1
		want, _ := listModel(listKeys, full)
		var got []string
		for pages := 0; ; pages++ {
			if pages > len(listKeys)+2 {
				t.Fatalf("list %#v: no end after %d pages", o, pages)
			}
			var p object.ListPage
			e.must(e.do(r.IntN(5), func(ctx context.Context, s *object.Service) (err error) { p, err = s.List(ctx, b, o); return err }))
			got = append(got, pageItems(p)...)
			if !p.Truncated {
				break
			}
			if useMarker {
				o.StartAfter = p.NextMarker
			} else {
				o.Token = p.Next
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("paged list %#v (marker %v):\n got %q\nwant %q", o, useMarker, got, want)
		}
	}
}

func TestListSkipsWhatIsNotVisible(t *testing.T) {
	e := newEnv(t, opts{seed: 6})
	b := e.bucket("vis")
	for i := range 10 {
		e.put(i%5, b, fmt.Sprint("k", i), []byte{byte(i)})
	}
	for i := 0; i < 10; i += 2 {
		e.must(e.do(i%5, func(ctx context.Context, s *object.Service) error {
			_, err := s.Delete(ctx, b, fmt.Sprint("k", i))
			return err
		}))
	}
	var p object.ListPage
	e.must(e.do(0, func(ctx context.Context, s *object.Service) (err error) {
		p, err = s.List(ctx, b, object.ListOptions{MaxKeys: 2})
		return err
	}))
	if got := pageItems(p); fmt.Sprint(got) != "[k1 k3]" || !p.Truncated {
		t.Errorf("first page of 2 over deleted keys: %q truncated %v", got, p.Truncated)
	}
}
