package crdt

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestNextTimestamp(t *testing.T) {
	cases := []struct {
		name              string
		now, newest, want uint64
	}{
		{"clock ahead", 1000, 500, 1000},
		{"clock behind", 500, 1000, 1001},
		{"clock equal", 1000, 1000, 1001},
		{"no version yet", 1000, 0, 1000},
		{"zero clock", 0, 0, 1},
		{"saturates", 5, math.MaxUint64, math.MaxUint64},
		{"near the top", 5, math.MaxUint64 - 1, math.MaxUint64},
	}
	for _, c := range cases {
		if got := NextTimestamp(c.now, c.newest); got != c.want {
			t.Errorf("%s: NextTimestamp(%d, %d) = %d, want %d", c.name, c.now, c.newest, got, c.want)
		}
	}
}

func TestNextTimestampIsNewer(t *testing.T) {
	r := rand.New(rand.NewPCG(2, 2))
	for range 10000 {
		now, newest := r.Uint64N(1<<50), r.Uint64N(1<<50)
		got := NextTimestamp(now, newest)
		if got <= newest || got < now || (got != now && got != newest+1) {
			t.Fatalf("NextTimestamp(%d, %d) = %d", now, newest, got)
		}
	}
}

func TestLWWMerge(t *testing.T) {
	cases := []struct {
		name string
		a, b LWW[String]
		want LWW[String]
	}{
		{"newer wins", NewLWW[String](2, "old"), NewLWW[String](3, "new"), NewLWW[String](3, "new")},
		{"newer wins either side", NewLWW[String](3, "new"), NewLWW[String](2, "zzz"), NewLWW[String](3, "new")},
		{"tie: greater encoding", NewLWW[String](5, "b"), NewLWW[String](5, "a"), NewLWW[String](5, "b")},
		{"tie: longer string wins by length prefix", NewLWW[String](5, "b"), NewLWW[String](5, "aa"), NewLWW[String](5, "aa")},
		{"zero loses", LWW[String]{}, NewLWW[String](1, ""), NewLWW[String](1, "")},
	}
	for _, c := range cases {
		for _, got := range []LWW[String]{c.a.Merge(c.b), c.b.Merge(c.a)} {
			if got != c.want {
				t.Errorf("%s: merge = %v, want %v", c.name, got, c.want)
			}
		}
	}
}

func TestLWWUpdateBeatsSkewedClock(t *testing.T) {
	r := NewLWW[String](10_000, "written by a node whose clock runs ahead")
	u := r.Update(9_000, "written later by a node that lags")
	if u.Time() != 10_001 || r.Merge(u).Value() != u.Value() {
		t.Errorf("update at lagging clock = %d %q, want ts 10001 and to win the merge", u.Time(), u.Value())
	}
	if got := r.Update(20_000, "x").Time(); got != 20_000 {
		t.Errorf("update with clock ahead: ts %d, want 20000", got)
	}
}

func TestDeletable(t *testing.T) {
	p1, p2 := Present[Bool](false), Present[Bool](true)
	del := Deleted[Bool]()
	cases := []struct {
		name        string
		a, b        Deletable[Bool]
		wantDeleted bool
		wantValue   Bool
	}{
		{"present values merge", p1, p2, false, true},
		{"deleted wins over present", p2, del, true, false},
		{"deleted stays deleted", del, del, true, false},
		{"zero is present", Deletable[Bool]{}, p2, false, true},
	}
	for _, c := range cases {
		got := c.a.Merge(c.b)
		v, ok := got.Get()
		if got.IsDeleted() != c.wantDeleted || ok == c.wantDeleted || v != c.wantValue {
			t.Errorf("%s: merge = deleted %v value %v, want deleted %v value %v",
				c.name, got.IsDeleted(), v, c.wantDeleted, c.wantValue)
		}
	}
}

func TestBoolAndMax(t *testing.T) {
	if Bool(false).Merge(true) != true || Bool(false).Merge(false) != false {
		t.Error("Bool merge is not logical or")
	}
	if got := (Max[Uint64]{3}).Merge(Max[Uint64]{9}); got.V != 9 {
		t.Errorf("Max merge = %d, want 9", got.V)
	}
	if got := (Max[String]{"b"}).Merge(Max[String]{"ab"}); got.V != "b" {
		t.Errorf("Max merge = %q, want %q", got.V, "b")
	}
}

func TestLWWMapSetGet(t *testing.T) {
	var m LWWMap[String, Uint64]
	m = m.Set(100, "b", 1).Set(100, "a", 2).Set(50, "b", 3)
	if got, want := m.Keys(), []String{"a", "b"}; !slices.Equal(got, want) {
		t.Errorf("keys = %q, want %q", got, want)
	}
	if r, _ := m.Register("b"); r.Value() != 3 || r.Time() != 101 {
		t.Errorf("b = %d@%d, want 3@101 (second write with a lagging clock)", r.Value(), r.Time())
	}
	if _, ok := m.Get("c"); ok {
		t.Error("missing key reported present")
	}
	before := Marshal(m)
	_ = m.Set(200, "a", 9).Put("z", NewLWW[Uint64](1, 1))
	if !slices.Equal(Marshal(m), before) {
		t.Error("Set or Put modified its receiver")
	}
	var got []Uint64
	for _, v := range m.All() {
		got = append(got, v)
	}
	if want := []Uint64{2, 3}; !slices.Equal(got, want) {
		t.Errorf("values in key order = %v, want %v", got, want)
	}
}

func TestMapPutMerges(t *testing.T) {
	var m Map[String, Deletable[Max[Uint64]]]
	m = m.Put("x", Present(Max[Uint64]{4})).Put("x", Present(Max[Uint64]{2})).Put("y", Deleted[Max[Uint64]]())
	if v, _ := m.Get("x"); !Equal(v, Present(Max[Uint64]{4})) {
		t.Errorf("x = %x, want present 4", Marshal(v))
	}
	m = m.Put("y", Present(Max[Uint64]{1}))
	if v, ok := m.Get("y"); !ok || !v.IsDeleted() {
		t.Errorf("y = %x, want deleted for good", Marshal(v))
	}
	if m.Len() != 2 {
		t.Errorf("len = %d, want 2", m.Len())
	}
}

// TestConvergence delivers the same updates to replicas in different
// orders, with duplicates, and checks that they end up equal.
func TestConvergence(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	g := genMap(genKey, genDeletable(genLWWMap(genKey, genString)))
	updates := make([]Map[String, Deletable[LWWMap[String, String]]], 50)
	for i := range updates {
		updates[i] = g(r)
	}
	var want []byte
	for replica := range 5 {
		var m Map[String, Deletable[LWWMap[String, String]]]
		for _, i := range r.Perm(len(updates)) {
			m = m.Merge(updates[i]).Merge(updates[r.IntN(len(updates))])
		}
		for _, u := range updates { // every update delivered at least once
			m = m.Merge(u)
		}
		if replica == 0 {
			want = Marshal(m)
		} else if !slices.Equal(Marshal(m), want) {
			t.Fatalf("replica %d diverged", replica)
		}
	}
}
