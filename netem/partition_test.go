package netem

import (
	"slices"
	"strings"
	"testing"
)

// reach renders the reachability matrix of m as rows "from:to1to2…" listing
// the nodes each node can reach (itself excluded), in sorted order.
func reach(m *Model) string {
	var rows []string
	for _, a := range m.Nodes() {
		row := a + ":"
		for _, b := range m.Nodes() {
			if a != b && m.Reachable(a, b) {
				row += b
			}
		}
		rows = append(rows, row)
	}
	return strings.Join(rows, " ")
}

// five returns nodes a..e: a, b in zone x; c, d in zone y; e in zone z.
func five() *Model {
	m := New()
	for _, n := range []struct{ name, zone string }{
		{"a", "x"}, {"b", "x"}, {"c", "y"}, {"d", "y"}, {"e", "z"},
	} {
		m.AddNode(n.name, n.zone)
	}
	return m
}

func TestPartitions(t *testing.T) {
	tests := []struct {
		name string
		cut  func(m *Model)
		want string
	}{
		{"none", func(*Model) {}, "a:bcde b:acde c:abde d:abce e:abcd"},
		{"symmetric", func(m *Model) { m.Partition([]string{"a", "b"}, []string{"c", "d", "e"}) },
			"a:b b:a c:de d:ce e:cd"},
		{"three groups", func(m *Model) { m.Partition([]string{"a"}, []string{"b", "c"}, []string{"d"}) },
			"a:e b:ce c:be d:e e:abcd"},
		{"bridge", func(m *Model) { m.Partition([]string{"a", "b"}, []string{"d", "e"}) },
			"a:bc b:ac c:abde d:ce e:cd"},
		{"one way", func(m *Model) { m.CutOneWay([]string{"a"}, []string{"c", "d"}) },
			"a:be b:acde c:abde d:abce e:abcd"},
		{"isolate zone", func(m *Model) { m.IsolateZone("y") }, "a:be b:ae c:d d:c e:ab"},
		{"isolate node", func(m *Model) { m.IsolateNode("e") }, "a:bcd b:acd c:abd d:abc e:"},
		{"zones", func(m *Model) { m.PartitionZones([]string{"x"}, []string{"y", "z"}) },
			"a:b b:a c:de d:ce e:cd"},
		{"heal one", func(m *Model) {
			id := m.IsolateNode("e")
			m.IsolateNode("a")
			m.Heal(id)
		}, "a: b:cde c:bde d:bce e:bcd"},
		{"heal all", func(m *Model) {
			m.IsolateZone("x")
			m.CutOneWay([]string{"e"}, []string{"c"})
			m.HealAll()
		}, "a:bcde b:acde c:abde d:abce e:abcd"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := five()
			tt.cut(m)
			if got := reach(m); got != tt.want {
				t.Errorf("reachability:\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestIsolatedZoneCatchesLateNodes(t *testing.T) {
	m := five()
	m.IsolateZone("y")
	m.AddNode("f", "y")
	if m.Reachable("a", "f") || !m.Reachable("c", "f") {
		t.Errorf("late node f in isolated zone y: %s", reach(m))
	}
}

func TestCutMessagesAreDropped(t *testing.T) {
	m := five()
	m.SetBandwidth(AllLinks(), 100)
	m.CutOneWay([]string{"a"}, []string{"b"})
	r := NewRand(1)
	if f := m.Send(0, "a", "b", 100, r); !f.Drop {
		t.Errorf("a->b across a cut: got %+v, want a drop", f)
	}
	if f := m.Send(0, "b", "a", 100, r); f.Drop {
		t.Errorf("b->a: got %+v, want delivery", f)
	}
	m.HealAll()
	// The cut message took no room in the a->b serialisation queue.
	if got, want := m.Send(0, "a", "b", 100, r).Deliver, m.Link("a", "b").txTime(100); got != want {
		t.Errorf("after heal: got %v, want %v", got, want)
	}
	if got := m.Stats(); got.Cut != 1 || got.Delivered != 2 {
		t.Errorf("stats: got %+v, want 1 cut and 2 delivered", got)
	}
}

func TestCutsDescribe(t *testing.T) {
	m := five()
	m.Partition([]string{"a"}, []string{"b", "c"})
	id := m.IsolateZone("x")
	m.CutOneWay([]string{"d"}, []string{"e"})
	m.Heal(id)
	got := strings.Join(m.Cuts(), "; ")
	want := "cut#1: partition {a} | {b,c}; cut#3: cut {d} -> {e}"
	if got != want {
		t.Errorf("Cuts:\n got %s\nwant %s", got, want)
	}
}

func TestSplitMajority(t *testing.T) {
	r := NewRand(9)
	for n := range 12 {
		var nodes []string
		for i := range n {
			nodes = append(nodes, string(rune('a'+i)))
		}
		for range 20 {
			maj, mnr := SplitMajority(nodes, r)
			if n > 0 && len(maj) <= n/2 {
				t.Fatalf("n=%d: majority %v is not a majority", n, maj)
			}
			all := slices.Concat(maj, mnr)
			slices.Sort(all)
			if !slices.Equal(all, nodes) || !slices.IsSorted(maj) || !slices.IsSorted(mnr) {
				t.Fatalf("n=%d: halves %v %v do not split %v", n, maj, mnr, nodes)
			}
		}
	}
}

func TestPartitionHalvesIsSeeded(t *testing.T) {
	seen := map[string]bool{}
	for seed := range uint64(20) {
		a, b := Garage5(), Garage5()
		_, maj1, _ := a.PartitionHalves(NewRand(seed))
		_, maj2, min2 := b.PartitionHalves(NewRand(seed))
		if !slices.Equal(maj1, maj2) {
			t.Fatalf("seed %d: majorities %v and %v differ", seed, maj1, maj2)
		}
		if b.Reachable(maj2[0], min2[0]) || !b.Reachable(maj2[0], maj2[1]) {
			t.Fatalf("seed %d: %s", seed, reach(b))
		}
		seen[strings.Join(maj1, ",")] = true
	}
	if len(seen) < 3 {
		t.Errorf("20 seeds gave only %d distinct splits", len(seen))
	}
}
