package main

import (
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/gogarage/garage/netem"
	"github.com/gogarage/garage/node/rt"
)

// netemSpec is the research option `server --netem <rtt>,<jitter>`: every
// link this node writes to is delayed by rtt/2 ± jitter/2 one way, so that
// two nodes both running with the option see rtt ± jitter round trips, as
// in Garage's latency benchmarks (100ms,20ms).
type netemSpec struct {
	RTT, Jitter time.Duration
	// Peers, if not empty, restricts shaping to links towards these node
	// ids; links to anyone else (CLI clients, say) are left direct.
	Peers map[rt.NodeID]bool
}

// parseNetem parses "<rtt>,<jitter>" and an optional comma-separated list
// of full node ids.
func parseNetem(spec, peers string) (netemSpec, error) {
	rtt, jit, ok := strings.Cut(spec, ",")
	if !ok {
		return netemSpec{}, fmt.Errorf("--netem %q: want <rtt>,<jitter> such as 100ms,20ms", spec)
	}
	var s netemSpec
	var err error
	if s.RTT, err = parseNonNegative(rtt); err != nil {
		return netemSpec{}, fmt.Errorf("--netem rtt: %w", err)
	}
	if s.Jitter, err = parseNonNegative(jit); err != nil {
		return netemSpec{}, fmt.Errorf("--netem jitter: %w", err)
	}
	for _, p := range strings.Split(peers, ",") {
		if p = strings.TrimSpace(p); p != "" {
			if s.Peers == nil {
				s.Peers = map[rt.NodeID]bool{}
			}
			s.Peers[rt.NodeID(strings.ToLower(p))] = true
		}
	}
	return s, nil
}

func parseNonNegative(v string) (time.Duration, error) {
	d, err := time.ParseDuration(strings.TrimSpace(v))
	if err != nil || d < 0 {
		return 0, fmt.Errorf("got %q, want a duration such as 100ms", v)
	}
	return d, nil
}

// shaper builds the netem shaper of s, seeded by seed, and the wrapper the
// daemon applies to its identified connections. Nodes are added to the
// model as they are first seen, all in one zone.
func (s netemSpec) shaper(seed uint64) (*netem.Shaper, func(net.Conn, rt.NodeID, rt.NodeID) net.Conn) {
	m := netem.New()
	m.SetRTT(netem.AllLinks(), s.RTT)
	m.SetJitter(netem.AllLinks(), netem.Uniform{Width: s.Jitter / 2})
	sh := netem.NewShaper(m, seed)
	wrap := func(c net.Conn, from, to rt.NodeID) net.Conn {
		if s.Peers != nil && !s.Peers[to] {
			return c
		}
		sh.Do(func(m *netem.Model) { addNodes(m, string(from), string(to)) })
		sc, err := sh.Wrap(c, string(from), string(to))
		if err != nil {
			return c
		}
		return sc
	}
	return sh, wrap
}

// addNodes registers the names the model does not know yet.
func addNodes(m *netem.Model, names ...string) {
	for _, n := range names {
		if !m.Has(n) {
			m.AddNode(n, "z")
		}
	}
}
