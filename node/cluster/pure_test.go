package cluster

import (
	"errors"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/node/rt"
)

func TestParsePeer(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want PeerInfo
		ok   bool
	}{
		{"abc@10.0.0.1:3901", PeerInfo{"abc", "10.0.0.1:3901"}, true},
		{"n1@host.example:1", PeerInfo{"n1", "host.example:1"}, true},
		{"n1@[::1]:3901", PeerInfo{"n1", "[::1]:3901"}, true},
		{"n1@::1:3901", PeerInfo{}, false},
		{"@h:1", PeerInfo{}, false},
		{"n1", PeerInfo{}, false},
		{"n1@h", PeerInfo{}, false},
		{"n1@h:0", PeerInfo{}, false},
		{"n1@h:65536", PeerInfo{}, false},
		{"n1@h:01", PeerInfo{}, false},
		{"n1@:3901", PeerInfo{}, false},
		{"n1@a@b:1", PeerInfo{}, false},
	} {
		got, err := ParsePeer(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParsePeer(%q) = %v, %v; want %v, ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
		if err != nil && !errors.Is(err, ErrBadPeer) {
			t.Errorf("ParsePeer(%q) error %v does not wrap ErrBadPeer", tc.in, err)
		}
	}
}

func TestParsePeersSortsAndDedups(t *testing.T) {
	got, err := ParsePeers([]string{"b@h:2", " a@h:1", "b@h:3"})
	want := []PeerInfo{{"a", "h:1"}, {"b", "h:3"}}
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("ParsePeers = %v, %v; want %v", got, err, want)
	}
	if _, err := ParsePeers([]string{"a@h:1", "bad"}); err == nil {
		t.Error("ParsePeers accepted a bad peer")
	}
}

func TestOrderReads(t *testing.T) {
	ms := time.Millisecond
	for _, tc := range []struct {
		name string
		in   []ReadCandidate
		want []rt.NodeID
	}{
		{"self first", []ReadCandidate{{ID: "a", SameZone: true, RTT: ms}, {ID: "s", Self: true}}, []rt.NodeID{"s", "a"}},
		{"zone before rtt", []ReadCandidate{{ID: "a", RTT: ms}, {ID: "b", SameZone: true, RTT: 90 * ms}}, []rt.NodeID{"b", "a"}},
		{"lowest rtt", []ReadCandidate{{ID: "a", RTT: 50 * ms}, {ID: "b", RTT: 10 * ms}, {ID: "c", RTT: 30 * ms}}, []rt.NodeID{"b", "c", "a"}},
		{"unknown rtt last", []ReadCandidate{{ID: "a"}, {ID: "b", RTT: 200 * ms}}, []rt.NodeID{"b", "a"}},
		{"ties by id", []ReadCandidate{{ID: "c"}, {ID: "a"}, {ID: "b"}}, []rt.NodeID{"a", "b", "c"}},
		{"down last", []ReadCandidate{{ID: "a", SameZone: true, RTT: ms, Down: true}, {ID: "b", RTT: 90 * ms}, {ID: "c"}},
			[]rt.NodeID{"b", "c", "a"}},
	} {
		if got := OrderReads(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("%s: OrderReads = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestOrderReadsProperty checks on random inputs that the order is a
// permutation independent of the input order and that self comes first.
func TestOrderReadsProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		n := 1 + r.IntN(6)
		cs := make([]ReadCandidate, n)
		for i := range cs {
			cs[i] = ReadCandidate{ID: rt.NodeID([]byte{'a' + byte(i)}), SameZone: r.IntN(2) == 0,
				RTT: time.Duration(r.IntN(4)) * time.Millisecond}
		}
		cs[r.IntN(n)].Self = true
		want := OrderReads(cs)
		shuffled := slices.Clone(cs)
		r.Shuffle(n, func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		if got := OrderReads(shuffled); !slices.Equal(got, want) {
			t.Fatalf("order depends on input order: %v vs %v", got, want)
		}
		if self := slices.IndexFunc(cs, func(c ReadCandidate) bool { return c.Self }); want[0] != cs[self].ID {
			t.Fatalf("self %s not first in %v", cs[self].ID, want)
		}
	}
}

func TestEWMA(t *testing.T) {
	for _, tc := range []struct{ avg, sample, want time.Duration }{
		{0, 100, 100}, {100, 100, 100}, {100, 200, 120}, {100, 0, 80}, {0, 0, 1},
	} {
		if got := ewma(tc.avg, tc.sample); got != tc.want {
			t.Errorf("ewma(%d, %d) = %d, want %d", tc.avg, tc.sample, got, tc.want)
		}
	}
}

func TestNextStamp(t *testing.T) {
	s := layout.Staging{Stamp: 10, Redundancy: layout.StagedParam{Stamp: 12},
		Roles: []layout.StagedRole{{Node: "a", Stamp: 40}, {Node: "b", Stamp: 15}}}
	for _, tc := range []struct{ now, want layout.Timestamp }{{5, 41}, {41, 41}, {100, 100}} {
		if got := NextStamp(tc.now, s); got != tc.want {
			t.Errorf("NextStamp(%d) = %d, want %d", tc.now, got, tc.want)
		}
	}
	if got := NextStamp(7, layout.Staging{}); got != 7 {
		t.Errorf("NextStamp on empty staging = %d, want 7", got)
	}
}

func TestTakeAddr(t *testing.T) {
	for _, tc := range []struct {
		cur, heard string
		auth, want bool
	}{
		{"", "h:1", false, true}, {"h:1", "h:2", false, false}, {"h:1", "h:2", true, true},
		{"h:1", "", true, false}, {"h:1", "h:1", true, false},
	} {
		if got := takeAddr(tc.cur, tc.heard, tc.auth); got != tc.want {
			t.Errorf("takeAddr(%q, %q, %v) = %v, want %v", tc.cur, tc.heard, tc.auth, got, tc.want)
		}
	}
}

func TestDigestText(t *testing.T) {
	d := digestOf([]byte("x"))
	b, _ := d.MarshalText()
	var e Digest
	if err := e.UnmarshalText(b); err != nil || e != d {
		t.Errorf("digest round trip: %v %v", e, err)
	}
	if err := e.UnmarshalText([]byte("abcd")); err == nil {
		t.Error("short digest accepted")
	}
}
