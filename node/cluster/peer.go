package cluster

import (
	"time"

	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/node/rt"
)

// rttWeight is the weight of a new sample in the RTT moving average.
const rttWeight = 0.2

// NodeStatus is what a node advertises through the status gossip.
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

// Equal reports whether s and o advertise the same thing.
func (s NodeStatus) Equal(o NodeStatus) bool {
	if (s.Role == nil) != (o.Role == nil) || (s.Role != nil && !s.Role.Equal(*o.Role)) {
		return false
	}
	s.Role, o.Role = nil, nil
	return s == o
}

// peer is what this node knows of another one. It is guarded by the
// cluster's mutex.
type peer struct {
	info     PeerInfo
	live     Liveness      // this node's belief
	since    time.Duration // Clock.Mono when live.State last changed
	lastSeen time.Duration // Clock.Mono of the last message from the peer; 0 if none
	rtt      time.Duration // moving average of ping round trips; 0 until measured
	// status is the newest status the peer advertised that reached this
	// node, at version statusVer (0: none yet).
	status    NodeStatus
	statusVer uint64
}

// up reports whether this node counts the peer as up.
func (p *peer) up() bool { return p.live.State.Up() }

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
	// State is this node's belief about the node (StateUnknown for a node
	// named by the layout only; StateAlive for self).
	State MemberState
	// LastSeen is the Clock.Mono of the last message received from it (0
	// if never; self: now), Ago how long before the Status call that was
	// (0 if never).
	LastSeen, Ago time.Duration
	// RTT is the moving average of ping round trips (0 if unknown or self).
	RTT           time.Duration
	LayoutVersion uint64
	Space         Space
}

func (p *peer) nodeInfo() NodeInfo {
	return NodeInfo{
		ID: p.info.ID, Addr: p.info.Addr, Hostname: p.status.Hostname, Up: p.up(), State: p.live.State,
		LastSeen: p.lastSeen, RTT: p.rtt, LayoutVersion: p.status.LayoutVersion,
		Space: p.status.Space,
	}
}
