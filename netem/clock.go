package netem

import "time"

// Clock is the time source of a Shaper: the instants it plans deliveries
// on and the timers its connections sleep on until then. The default is
// the system clock; tests pass a clock they advance themselves (see
// WithClock), which makes every shaped delay exact and no test wait on
// real time.
//
// A Clock must be safe for concurrent use: every connection's delivery
// goroutine and every writer read it.
type Clock interface {
	// Now returns the current instant. It never goes backwards.
	Now() time.Time
	// NewTimer starts a timer that sends the current instant on the
	// returned channel (buffered, capacity 1) once d has passed; a d of
	// zero or less fires at once.
	NewTimer(d time.Duration) (Timer, <-chan time.Time)
}

// Timer controls a timer made by Clock.NewTimer. After Stop or Reset
// returns, no value due to the earlier setting is received from the
// timer's channel (as with time.Timer since Go 1.23).
type Timer interface {
	// Reset rearms the timer to fire d from now. It reports whether the
	// timer was armed.
	Reset(d time.Duration) bool
	// Stop disarms the timer. It reports whether the timer was armed.
	Stop() bool
}

// systemClock is the Clock of time.Now and time.NewTimer.
type systemClock struct{}

var _ Clock = systemClock{}

// Now returns time.Now().
func (systemClock) Now() time.Time { return time.Now() }

// NewTimer returns a time.Timer and its channel.
func (systemClock) NewTimer(d time.Duration) (Timer, <-chan time.Time) {
	t := time.NewTimer(d)
	return t, t.C
}
