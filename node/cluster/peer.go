package cluster

import (
	"time"

	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/node/rt"
)

// rttWeight is the weight of a new sample in the RTT moving average.
const rttWeight = 0.2

// NodeStatus is what a node advertises in status exchanges.
type NodeStatus struct {
	ID            rt.NodeID `json:"id"`
	Addr          string    `json:"addr,omitempty"`
	Hostname      string    `json:"hostname,omitempty"`
	LayoutVersion uint64    `json:"layout_version"`
	LayoutDigest  Digest    `json:"layout_digest"`
	Space         Space     `json:"space"`
	// Role is the sender's role in its current layout version, if any.
	Role *layout.Role `json:"role,omitempty"`
}

// peer is what this node knows of another one. It is guarded by the
// cluster's mutex.
type peer struct {
	info      PeerInfo
	up        bool          // answered the last ping, or fewer than FailAfter failed since
	seen      bool          // has ever answered
	fails     int           // consecutive failed pings
	lastSeen  time.Duration // Clock.Mono of the last answer
	rtt       time.Duration // moving average; 0 until the first answer
	status    NodeStatus
	hasStatus bool
}

// onPingOK records an answered ping: the peer is up and its RTT average
// takes the sample. It reports whether the peer came up.
func (p *peer) onPingOK(now, sample time.Duration) bool {
	cameUp := !p.up
	p.up, p.seen, p.fails, p.lastSeen = true, true, 0, now
	p.rtt = ewma(p.rtt, sample)
	return cameUp
}

// onPingFail records a failed ping and reports whether the peer went down
// (after failAfter consecutive failures).
func (p *peer) onPingFail(failAfter int) bool {
	p.fails++
	if p.up && p.fails >= failAfter {
		p.up = false
		return true
	}
	return false
}

// ewma folds sample into avg (0 meaning no sample yet).
func ewma(avg, sample time.Duration) time.Duration {
	if avg == 0 {
		return max(sample, 1)
	}
	next := time.Duration(float64(avg)*(1-rttWeight) + float64(sample)*rttWeight)
	return max(next, 1)
}

// NodeInfo is one line of Status: a node known as a peer or named by the
// layout.
type NodeInfo struct {
	ID       rt.NodeID
	Addr     string
	Hostname string
	Self     bool
	// Role is the node's role in the current layout; HasRole is false for
	// a node without one.
	Role    layout.Role
	HasRole bool
	Up      bool
	// LastSeen is the Clock.Mono of its last answer (0 if never; self: now),
	// Ago how long before the Status call that was (0 if never).
	LastSeen, Ago time.Duration
	// RTT is the moving average of ping round trips (0 if unknown or self).
	RTT           time.Duration
	LayoutVersion uint64
	Space         Space
}

func (p *peer) nodeInfo() NodeInfo {
	return NodeInfo{
		ID: p.info.ID, Addr: p.info.Addr, Hostname: p.status.Hostname, Up: p.up,
		LastSeen: p.lastSeen, RTT: p.rtt, LayoutVersion: p.status.LayoutVersion,
		Space: p.status.Space,
	}
}
