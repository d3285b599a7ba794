package nemesis

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/sim"
)

func nodeID(s string) rt.NodeID { return rt.NodeID(s) }

// TestEveryFaultActsAndUndoes applies many drawn faults of every class: each
// must change the world while active (none excepted) and its undo must
// restore exactly the state before.
func TestEveryFaultActsAndUndoes(t *testing.T) {
	reg := NewRegistry()
	for _, class := range reg.Names() {
		n, _ := reg.Lookup(class)
		t.Run(class, func(t *testing.T) {
			w := newWorld(t, 5, 5)
			x := NewExec(w, nil)
			r := sim.NewRand(11)
			for i := range 40 {
				f := n.Draw(r, TopologyOf(w))
				before := snapshot(w)
				h := x.Apply(f)
				if err := w.RunFor(100 * time.Millisecond); err != nil {
					t.Fatal(err)
				}
				if during := snapshot(w); during == before && changes(f) {
					t.Errorf("fault %d %s %q changed nothing", i, f.Kind, f.Desc)
				}
				x.Undo(h)
				if err := w.RunFor(100 * time.Millisecond); err != nil {
					t.Fatal(err)
				}
				if got := snapshot(w); got != before {
					t.Fatalf("fault %d %s %q: undo left\n%+v\nwant\n%+v", i, f.Kind, f.Desc, got, before)
				}
			}
		})
	}
}

// changes reports whether a fault is visible in a snapshot: disk error
// bursts and corruption of a node without files are not.
func changes(f Fault) bool { return f.Kind != "none" && f.Kind != "disk" }

func TestHealRestoresACleanWorld(t *testing.T) {
	w := newWorld(t, 9, 5)
	clean := snapshot(w)
	var events []string
	x := NewExec(w, func(kind, desc string) { events = append(events, kind) })
	r := sim.NewRand(4)
	all, _ := NewRegistry().Lookup("all")
	for range 12 {
		x.Apply(all.Draw(r, TopologyOf(w)))
	}
	w.Clock("n2").SetOffset(3 * time.Second) // a leftover no undo knows of
	if err := w.RunFor(time.Second); err != nil {
		t.Fatal(err)
	}
	if snapshot(w) == clean {
		t.Fatal("twelve faults changed nothing")
	}
	x.Heal()
	if err := w.RunFor(time.Second); err != nil {
		t.Fatal(err)
	}
	if got := snapshot(w); got != clean {
		t.Errorf("after Heal:\n%+v\nwant\n%+v", got, clean)
	}
	if x.Active() != 0 || events[len(events)-1] != "heal" {
		t.Errorf("active %d, last event %q", x.Active(), events[len(events)-1])
	}
}

func TestRunnerPlaysAndStops(t *testing.T) {
	w := newWorld(t, 2, 5)
	var events []string
	x := NewExec(w, func(kind, desc string) { events = append(events, kind) })
	eps := []Episode{
		{At: time.Second, Hold: time.Second, Fault: Crash{}.Draw(sim.NewRand(1), TopologyOf(w))},
		{At: 3 * time.Second, Hold: time.Second, Fault: Partition{Shape: "halves"}.Draw(sim.NewRand(1), TopologyOf(w))},
		{At: 5 * time.Second, Hold: time.Second, Fault: Clock{}.Draw(sim.NewRand(1), TopologyOf(w))},
	}
	rn := Start(w, x, eps)
	if err := w.RunFor(3500 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	rn.Stop()
	if err := w.RunFor(5 * time.Second); err != nil {
		t.Fatal(err)
	}
	want := []string{"crash", "heal-crash", "partition"}
	if !rn.Done() || len(events) != len(want) {
		t.Fatalf("done %v, events %v, want %v", rn.Done(), events, want)
	}
	for i := range want {
		if events[i] != want[i] {
			t.Errorf("event %d = %q, want %q", i, events[i], want[i])
		}
	}
	if x.Active() != 1 {
		t.Errorf("active faults after Stop = %d, want the partition", x.Active())
	}
}

func TestPauseStopsTheNodeButNotItsClock(t *testing.T) {
	w := newWorld(t, 2, 5)
	f := Pause{}.Draw(sim.NewRand(1), TopologyOf(w))
	x := NewExec(w, nil)
	h := x.Apply(f)
	id := nodeID(f.Desc)
	before := w.Clock(id).Now()
	if err := w.RunFor(2 * time.Second); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		got, want bool
	}{
		{"paused", w.Paused(id), true},
		{"clock moved 2s", w.Clock(id).Now().Sub(before) == 2*time.Second, true},
		{"network cut", len(w.Network().Cuts()) > 0, false},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("%s: got %v, want %v", tc.name, tc.got, tc.want)
		}
	}
	x.Undo(h)
	if w.Paused(id) {
		t.Errorf("node %s still paused after undo", id)
	}
}

func TestHealResumesPausedNodes(t *testing.T) {
	w := newWorld(t, 2, 5)
	x := NewExec(w, nil)
	w.Pause("n3") // a pause no undo knows of
	x.Apply(Pause{}.Draw(sim.NewRand(1), TopologyOf(w)))
	x.Heal()
	for _, id := range w.Nodes() {
		if w.Paused(id) {
			t.Errorf("node %s still paused after Heal", id)
		}
	}
}

// TestDiskDamagesBlockFiles draws disk faults until both the bit rot and
// the loss of files struck a node holding files, and checks each did.
func TestDiskDamagesBlockFiles(t *testing.T) {
	w := newWorld(t, 3, 5)
	for _, id := range w.Nodes() {
		for i := range 8 {
			if err := w.Disk(id).Files().Write(fmt.Sprintf("aa/%02d", i), []byte("block content"), true); err != nil {
				t.Fatal(err)
			}
		}
	}
	x := NewExec(w, nil)
	r := sim.NewRand(5)
	seen := map[string]bool{}
	for i := 0; i < 200 && len(seen) < 2; i++ {
		f := Disk{}.Draw(r, TopologyOf(w))
		kind := ""
		switch {
		case strings.Contains(f.Desc, "corrupt"):
			kind = "corrupt"
		case strings.Contains(f.Desc, "lose"):
			kind = "lose"
		default:
			continue
		}
		id := rt.NodeID(strings.SplitN(f.Desc, ":", 2)[0])
		before := fileState(w, id)
		x.Apply(f)
		if after := fileState(w, id); after == before {
			t.Errorf("%q changed no file", f.Desc)
		}
		seen[kind] = true
	}
	if len(seen) != 2 {
		t.Fatalf("drew only %v", seen)
	}
}

// fileState summarises a node's files: their names and contents.
func fileState(w *sim.World, id rt.NodeID) string {
	files := w.Disk(id).Files()
	names, _ := files.List("")
	var b strings.Builder
	for _, n := range names {
		data, _ := files.Read(n)
		fmt.Fprintf(&b, "%s=%x;", n, data)
	}
	return b.String()
}
