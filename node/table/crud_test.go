package table

import (
	"context"
	"fmt"
	"slices"
	"testing"
)

func TestCRUDAndRangePages(t *testing.T) {
	c := newCluster(t, clusterOpts{seed: 1, nodes: 5, cfg: Config{NoWorkers: true}})
	want := map[string]string{}
	var rows []row
	for i := range 40 {
		sk := fmt.Sprintf("k%02d", i)
		rows = append(rows, mkRow("bucket", sk, 10, "v"+sk))
		want[sk] = "v" + sk
	}
	rows = append(rows, mkRow("other", "k00", 10, "x"))
	must(t, c.insert("n1", rows...))
	for i := 0; i < 40; i += 3 { // delete every third
		sk := fmt.Sprintf("k%02d", i)
		must(t, c.insert(c.ids[i%5], mkRow("bucket", sk, 20, "")))
		delete(want, sk)
	}
	r, ok, err := c.get("n4", "bucket", "k01")
	if err != nil || !ok || r.Val() != "vk01" {
		t.Fatalf("get k01: %+v %v %v", r, ok, err)
	}
	r, ok, err = c.get("n2", "bucket", "k03")
	if err != nil || !ok || r.Val() != "" {
		t.Fatalf("get deleted k03: %+v %v %v, want a tombstone", r, ok, err)
	}
	if _, ok, err := c.get("n2", "bucket", "nope"); err != nil || ok {
		t.Fatalf("get missing: found=%v err=%v", ok, err)
	}
	keys := sortedKeys(want, false)
	for _, reverse := range []bool{false, true} {
		for _, page := range []int{1, 3, 7, 100} {
			got := c.pages(t, "n3", "bucket", page, reverse)
			w := slices.Clone(keys)
			if reverse {
				slices.Reverse(w)
			}
			if !slices.Equal(got, w) {
				t.Errorf("pages of %d reverse=%v: got %v, want %v", page, reverse, got, w)
			}
		}
	}
}

// pages lists partition key pk through node id in pages of n live
// entries, and returns the sort keys seen.
func (c *cluster) pages(t *testing.T, id, pk string, n int, reverse bool) []string {
	var got []string
	var start []byte
	for range 1000 {
		var page []row
		must(t, c.do(func(ctx context.Context) error {
			var err error
			page, err = c.tabs[node(id)].GetRange(ctx, []byte(pk), start, Filter{Live: true}, n, reverse)
			return err
		}))
		if len(page) > n {
			t.Fatalf("page of %d entries, limit %d", len(page), n)
		}
		for _, r := range page {
			got = append(got, r.SK)
		}
		if len(page) < n {
			return got
		}
		last := page[len(page)-1].SK
		if reverse {
			start = []byte(last[:len(last)-1] + string(last[len(last)-1]-1) + "\xff")
		} else {
			start = []byte(last + "\x00")
		}
	}
	t.Fatal("paging does not end")
	return nil
}

// TestRangeMergesBeforeFiltering checks that a tombstone held by some
// replicas hides the live version others hold, and that a page is still
// full: replicas disagree on which entries are live.
func TestRangeMergesBeforeFiltering(t *testing.T) {
	c := newCluster(t, clusterOpts{seed: 2, nodes: 5, cfg: Config{NoWorkers: true}})
	var rows []row
	for i := range 20 {
		rows = append(rows, mkRow("bucket", fmt.Sprintf("k%02d", i), 10, "live"))
	}
	must(t, c.insert("n1", rows...))
	reps := c.replicas("bucket")
	// Each key dies on a different pair of replicas (a write quorum), so
	// every replica still holds some keys live that others know dead.
	for i := range 20 {
		tomb := mkRow("bucket", fmt.Sprintf("k%02d", i), 20, "")
		must(t, c.tabs[reps[i%3]].LocalInsert(tomb))
		must(t, c.tabs[reps[(i+1)%3]].LocalInsert(tomb))
	}
	for _, id := range c.ids {
		got := c.pages(t, string(id), "bucket", 4, false)
		if len(got) != 0 {
			t.Errorf("through %s: live keys %v, want none", id, got)
		}
	}
}

func TestLocalScanAndGetAll(t *testing.T) {
	c := newCluster(t, clusterOpts{seed: 63, nodes: 5, cfg: Config{NoWorkers: true}})
	must(t, c.insert("n1", mkRow("p", "b", 1, "vb"), mkRow("p", "a", 1, "va"), mkRow("q", "a", 1, "x")))
	reps := c.replicas("p")
	var got []string
	must(t, c.tabs[reps[0]].LocalScan([]byte("p"), func(r row) bool { got = append(got, r.SK+"="+r.Val()); return true }))
	if fmt.Sprint(got) != "[a=va b=vb]" {
		t.Errorf("local scan of a replica: %v", got)
	}
	var r row
	var ok bool
	must(t, c.do(func(ctx context.Context) (err error) {
		r, ok, err = c.tabs["n2"].GetAll(ctx, []byte("p"), []byte("a"))
		return err
	}))
	if !ok || r.Val() != "va" {
		t.Errorf("get all: %+v %v", r, ok)
	}
	c.w.Crash(reps[2])
	err := c.do(func(ctx context.Context) error {
		_, _, err := c.tabs["n2"].GetAll(ctx, []byte("p"), []byte("a"))
		return err
	})
	if err == nil {
		t.Error("get all succeeded with a replica down")
	}
}
