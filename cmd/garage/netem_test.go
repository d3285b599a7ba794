package main

import (
	"net"
	"testing"
	"time"

	"github.com/gogarage/garage/netem"
	"github.com/gogarage/garage/node/rt"
)

func TestParseNetem(t *testing.T) {
	for _, tt := range []struct {
		spec, peers string
		rtt, jitter time.Duration
		npeers      int
		bad         bool
	}{
		{spec: "100ms,20ms", rtt: 100 * time.Millisecond, jitter: 20 * time.Millisecond},
		{spec: " 5ms , 0s ", rtt: 5 * time.Millisecond},
		{spec: "100ms,20ms", peers: "AB, cd,,", rtt: 100 * time.Millisecond, jitter: 20 * time.Millisecond, npeers: 2},
		{spec: "100ms", bad: true},
		{spec: "-1ms,0s", bad: true},
		{spec: "100ms,x", bad: true},
	} {
		got, err := parseNetem(tt.spec, tt.peers)
		if (err != nil) != tt.bad {
			t.Errorf("parseNetem(%q, %q): err %v, want error %v", tt.spec, tt.peers, err, tt.bad)
			continue
		}
		if got.RTT != tt.rtt || got.Jitter != tt.jitter || len(got.Peers) != tt.npeers {
			t.Errorf("parseNetem(%q, %q) = %+v, want rtt %v jitter %v and %d peers", tt.spec, tt.peers, got, tt.rtt, tt.jitter, tt.npeers)
		}
	}
}

// TestNetemWrapShapesOnlyPeers checks that --netem-peers leaves links to
// other ids (CLI clients) unwrapped and shapes the listed ones.
func TestNetemWrapShapesOnlyPeers(t *testing.T) {
	s, err := parseNetem("100ms,20ms", "bb")
	if err != nil {
		t.Fatal(err)
	}
	sh, wrap := s.shaper(1)
	defer sh.Close()
	for _, tt := range []struct {
		to     rt.NodeID
		shaped bool
	}{{"bb", true}, {"cc", false}} {
		a, b := net.Pipe()
		got := wrap(a, "aa", tt.to)
		_, isShaped := got.(*netem.Conn)
		if isShaped != tt.shaped {
			t.Errorf("link aa→%s: shaped %v, want %v", tt.to, isShaped, tt.shaped)
		}
		got.Close()
		b.Close()
	}
}
