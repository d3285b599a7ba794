package netem

import (
	"fmt"
	"maps"
	"time"
)

// Scope selects the directed links a setting applies to. A setting made
// for a node link overrides one made for the zone link its nodes are in,
// which overrides the model-wide default, whatever the order of the calls;
// within one level the later call wins.
// Scopes may name zones and nodes that are not registered yet.
type Scope struct {
	kind scopeKind
	a, b string
	both bool
}

type scopeKind uint8

const (
	scopeAll scopeKind = iota
	scopeZone
	scopeNode
)

// AllLinks is the model-wide default.
func AllLinks() Scope { return Scope{kind: scopeAll} }

// ZonePair is both directions between zones a and b; ZonePair(z, z) is the
// links inside zone z.
func ZonePair(a, b string) Scope { return Scope{kind: scopeZone, a: a, b: b, both: true} }

// ZoneLink is the one direction from zone from to zone to.
func ZoneLink(from, to string) Scope { return Scope{kind: scopeZone, a: from, b: to} }

// NodePair is both directions between nodes a and b.
func NodePair(a, b string) Scope { return Scope{kind: scopeNode, a: a, b: b, both: true} }

// NodeLink is the one direction from node from to node to.
func NodeLink(from, to string) Scope { return Scope{kind: scopeNode, a: from, b: to} }

// String describes the scope, e.g. "zone dc1<->dc2" or "node n1->n2".
func (s Scope) String() string {
	arrow := "->"
	if s.both {
		arrow = "<->"
	}
	switch s.kind {
	case scopeZone:
		return "zone " + s.a + arrow + s.b
	case scopeNode:
		return "node " + s.a + arrow + s.b
	}
	return "all"
}

// edge is a directed pair of zone or node names.
type edge struct{ from, to string }

// setting is one link property resolved by precedence node > zone > all.
type setting[T any] struct {
	all   T
	zones map[edge]T
	nodes map[edge]T
}

func newSetting[T any](all T) setting[T] {
	return setting[T]{all: all, zones: map[edge]T{}, nodes: map[edge]T{}}
}

func (s *setting[T]) set(sc Scope, v T) {
	switch sc.kind {
	case scopeAll:
		s.all = v
		return
	case scopeZone:
		setEdge(s.zones, sc, v)
	case scopeNode:
		setEdge(s.nodes, sc, v)
	}
}

func setEdge[T any](m map[edge]T, sc Scope, v T) {
	m[edge{sc.a, sc.b}] = v
	if sc.both {
		m[edge{sc.b, sc.a}] = v
	}
}

func (s *setting[T]) get(from, to *node) T {
	if v, ok := s.nodes[edge{from.name, to.name}]; ok {
		return v
	}
	if v, ok := s.zones[edge{from.zone, to.zone}]; ok {
		return v
	}
	return s.all
}

// Link is the resolved configuration of one directed link.
type Link struct {
	Latency   time.Duration // base one-way delay
	Jitter    Jitter        // added to Latency per message; total clamped at 0
	Loss      float64       // probability a message is lost (in the good state)
	Burst     Burst         // bursty loss; the zero value means none
	Dup       float64       // probability a delivered message arrives twice
	Bandwidth float64       // bytes per second; 0 means unlimited
	FIFO      bool          // never deliver before an earlier message of the link
}

// String describes the link in one line.
func (l Link) String() string {
	s := fmt.Sprintf("latency=%v jitter=%v loss=%g dup=%g bandwidth=%g fifo=%t",
		l.Latency, l.Jitter, l.Loss, l.Dup, l.Bandwidth, l.FIFO)
	if l.Burst.on() {
		s += " burst=" + l.Burst.String()
	}
	return s
}

// txTime is how long size bytes occupy the link's serialisation queue.
func (l Link) txTime(size int) time.Duration {
	if l.Bandwidth <= 0 || size <= 0 {
		return 0
	}
	return time.Duration(float64(size) / l.Bandwidth * float64(time.Second))
}

// delay draws one one-way propagation delay, never negative.
func (l Link) delay(r Rand) time.Duration {
	return max(l.Latency+l.Jitter.Sample(r), 0)
}

// config is every link setting of a model.
type config struct {
	latency   setting[time.Duration]
	jitter    setting[Jitter]
	loss      setting[float64]
	burst     setting[Burst]
	dup       setting[float64]
	bandwidth setting[float64]
	fifo      setting[bool]
}

func newConfig() config {
	return config{
		latency:   newSetting[time.Duration](0),
		jitter:    newSetting[Jitter](NoJitter{}),
		loss:      newSetting(0.0),
		burst:     newSetting(Burst{}),
		dup:       newSetting(0.0),
		bandwidth: newSetting(0.0),
		fifo:      newSetting(false),
	}
}

// clone returns a deep copy of c. Every field of config must appear here.
func (c *config) clone() config {
	return config{
		latency:   c.latency.clone(),
		jitter:    c.jitter.clone(),
		loss:      c.loss.clone(),
		burst:     c.burst.clone(),
		dup:       c.dup.clone(),
		bandwidth: c.bandwidth.clone(),
		fifo:      c.fifo.clone(),
	}
}

func (s setting[T]) clone() setting[T] {
	return setting[T]{all: s.all, zones: maps.Clone(s.zones), nodes: maps.Clone(s.nodes)}
}

func (c *config) resolve(from, to *node) Link {
	return Link{
		Latency:   c.latency.get(from, to),
		Jitter:    c.jitter.get(from, to),
		Loss:      c.loss.get(from, to),
		Burst:     c.burst.get(from, to),
		Dup:       c.dup.get(from, to),
		Bandwidth: c.bandwidth.get(from, to),
		FIFO:      c.fifo.get(from, to),
	}
}
