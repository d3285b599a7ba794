package netem

import "fmt"

// Burst is a Gilbert–Elliott loss model: each directed link is in a good
// or a bad state, changing state before each message with probability
// Enter (good to bad) or Leave (bad to good). In the good state a message
// is lost with the link's Loss probability, in the bad state with Loss
// below. Losses then come in bursts of mean length 1/Leave (with Loss 1),
// and the long-run fraction of time in the bad state is Enter/(Enter+Leave).
// A link with a Burst draws one more uniform per message.
type Burst struct {
	Enter float64 // P(good → bad) per message; 0 disables the model
	Leave float64 // P(bad → good) per message
	Loss  float64 // loss probability in the bad state
}

// on reports whether the model is enabled.
func (b Burst) on() bool { return b.Enter > 0 }

// String returns e.g. "gilbert(enter=0.01,leave=0.3,loss=1)".
func (b Burst) String() string {
	return fmt.Sprintf("gilbert(enter=%g,leave=%g,loss=%g)", b.Enter, b.Leave, b.Loss)
}

// MeanLoss returns the long-run loss rate of a link with good-state loss
// probability good and this burst model.
func (b Burst) MeanLoss(good float64) float64 {
	if !b.on() {
		return good
	}
	bad := b.Enter / (b.Enter + b.Leave)
	return bad*b.Loss + (1-bad)*good
}

// SetBurst sets the bursty loss model of the links in s; Burst{} turns it
// off. It panics on probabilities outside [0, 1] or a model that never
// leaves the bad state.
func (m *Model) SetBurst(s Scope, b Burst) {
	checkProb("burst enter", s, b.Enter)
	checkProb("burst leave", s, b.Leave)
	checkProb("burst loss", s, b.Loss)
	if b.on() && b.Leave == 0 {
		panic(fmt.Sprintf("netem: burst %v for %v never leaves the bad state", b, s))
	}
	m.cfg.burst.set(s, b)
	m.gen++
}

// lossProb moves the link's burst state one step, drawing from r if the
// link has a burst model, and returns the loss probability of the message.
func (l *link) lossProb(r Rand) float64 {
	b := l.cfg.Burst
	if !b.on() {
		return l.cfg.Loss
	}
	u := r.Float64()
	if l.bad {
		l.bad = u >= b.Leave
	} else {
		l.bad = u < b.Enter
	}
	if l.bad {
		return b.Loss
	}
	return l.cfg.Loss
}
