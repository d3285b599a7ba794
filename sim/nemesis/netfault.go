package nemesis

import (
	"fmt"
	"time"

	"github.com/gogarage/garage/netem"
	"github.com/gogarage/garage/sim"
)

// Net is the class of degraded links: message loss or duplication on every
// link, or extra one-way delay on the links of one node. Loss and
// duplication are undone by setting them back to zero model-wide; delay by
// restoring each touched link's base latency.
type Net struct {
	MaxLoss  float64       // largest loss or duplication probability; zero means 0.3
	MaxDelay time.Duration // largest extra one-way delay; zero means 1 s
}

// Name returns "net".
func (Net) Name() string { return "net" }

// Draw picks the link fault.
func (n Net) Draw(r *sim.Rand, t Topology) Fault {
	maxLoss, maxDelay := n.MaxLoss, n.MaxDelay
	if maxLoss <= 0 {
		maxLoss = 0.3
	}
	if maxDelay <= 0 {
		maxDelay = time.Second
	}
	p := 0.02 + r.Float64()*(maxLoss-0.02)
	switch r.IntN(3) {
	case 0:
		return Fault{Kind: "net", Desc: fmt.Sprintf("loss %.2f", p), Start: func(w *sim.World) func() {
			w.Network().SetLoss(netem.AllLinks(), p)
			return func() { w.Network().SetLoss(netem.AllLinks(), 0) }
		}}
	case 1:
		return Fault{Kind: "net", Desc: fmt.Sprintf("dup %.2f", p), Start: func(w *sim.World) func() {
			w.Network().SetDup(netem.AllLinks(), p)
			return func() { w.Network().SetDup(netem.AllLinks(), 0) }
		}}
	}
	id := string(t.Nodes[r.IntN(len(t.Nodes))])
	extra := time.Duration(r.Float64() * float64(maxDelay))
	return Fault{Kind: "net", Desc: fmt.Sprintf("delay %s +%s", id, ms(extra)), Start: func(w *sim.World) func() {
		return slowNode(w.Network(), id, names(t.Nodes), extra)
	}}
}

// slowNode adds extra one-way delay on every link to and from id and
// returns the undo restoring the latencies it found.
func slowNode(m *netem.Model, id string, all []string, extra time.Duration) func() {
	type link struct {
		from, to string
		base     time.Duration
	}
	var touched []link
	for _, o := range all {
		if o == id {
			continue
		}
		for _, l := range []link{{id, o, m.Latency(id, o)}, {o, id, m.Latency(o, id)}} {
			touched = append(touched, l)
			m.SetLatency(netem.NodeLink(l.from, l.to), l.base+extra)
		}
	}
	return func() {
		for _, l := range touched {
			m.SetLatency(netem.NodeLink(l.from, l.to), l.base)
		}
	}
}
