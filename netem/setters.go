package netem

import (
	"fmt"
	"time"
)

// The setters below configure the links selected by a Scope. They panic on
// values that make no sense (negative latency, probabilities outside
// [0, 1]): a model is built by code, and a bad literal is a bug.

// SetLatency sets the base one-way latency of the links in s.
func (m *Model) SetLatency(s Scope, oneWay time.Duration) {
	if oneWay < 0 {
		panic(fmt.Sprintf("netem: negative latency %v for %v", oneWay, s))
	}
	m.cfg.latency.set(s, oneWay)
	m.gen++
}

// SetRTT sets the one-way latency of the links in s to rtt/2, so that a
// symmetric scope (AllLinks, ZonePair, NodePair) gets round-trip time rtt.
func (m *Model) SetRTT(s Scope, rtt time.Duration) { m.SetLatency(s, rtt/2) }

// SetZoneMatrix sets the one-way latency from zones[i] to zones[j] to
// oneWay[i][j] for every i, j. It returns an error if the matrix is not
// len(zones)×len(zones) or holds a negative latency.
func (m *Model) SetZoneMatrix(zones []string, oneWay [][]time.Duration) error {
	if len(oneWay) != len(zones) {
		return fmt.Errorf("zone matrix: %d rows for %d zones", len(oneWay), len(zones))
	}
	for i, row := range oneWay {
		if len(row) != len(zones) {
			return fmt.Errorf("zone matrix: row %s has %d columns, want %d", zones[i], len(row), len(zones))
		}
		for j, d := range row {
			if d < 0 {
				return fmt.Errorf("zone matrix: negative latency %v from %s to %s", d, zones[i], zones[j])
			}
		}
	}
	for i, row := range oneWay {
		for j, d := range row {
			m.SetLatency(ZoneLink(zones[i], zones[j]), d)
		}
	}
	return nil
}

// SetJitter sets the jitter distribution of the links in s; nil means
// NoJitter.
func (m *Model) SetJitter(s Scope, j Jitter) {
	if j == nil {
		j = NoJitter{}
	}
	checkJitter(j)
	m.cfg.jitter.set(s, j)
	m.gen++
}

// SetLoss sets the probability that a message on the links in s is lost.
func (m *Model) SetLoss(s Scope, p float64) {
	checkProb("loss", s, p)
	m.cfg.loss.set(s, p)
	m.gen++
}

// SetDup sets the probability that a delivered message on the links in s
// is delivered a second time.
func (m *Model) SetDup(s Scope, p float64) {
	checkProb("duplication", s, p)
	m.cfg.dup.set(s, p)
	m.gen++
}

// SetBandwidth sets the bandwidth of each link in s, in bytes per second;
// 0 means unlimited. Each directed link has its own serialisation queue.
func (m *Model) SetBandwidth(s Scope, bytesPerSec float64) {
	if !(bytesPerSec >= 0) {
		panic(fmt.Sprintf("netem: invalid bandwidth %g for %v", bytesPerSec, s))
	}
	m.cfg.bandwidth.set(s, bytesPerSec)
	m.gen++
}

// SetUplink sets the egress bandwidth of the named nodes, or the default
// of every node when none is named, in bytes per second (0: unlimited). A
// node's uplink is one queue shared by all its outgoing links, in front of
// each link's own queue: it models a node's network interface.
func (m *Model) SetUplink(bytesPerSec float64, nodes ...string) {
	if !(bytesPerSec >= 0) {
		panic(fmt.Sprintf("netem: invalid uplink bandwidth %g for %v", bytesPerSec, nodes))
	}
	if len(nodes) == 0 {
		m.uplink.all = bytesPerSec
	}
	for _, n := range nodes {
		m.uplink.nodes[n] = bytesPerSec
	}
}

// SetFIFO makes the links in s first-in first-out (on) or lets jitter
// reorder their messages (off).
func (m *Model) SetFIFO(s Scope, on bool) {
	m.cfg.fifo.set(s, on)
	m.gen++
}

func checkProb(what string, s Scope, p float64) {
	if !(p >= 0 && p <= 1) {
		panic(fmt.Sprintf("netem: %s probability %g for %v not in [0, 1]", what, p, s))
	}
}
