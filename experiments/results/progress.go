package results

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// Progress reports how far a long run has got: a progress bar when it
// writes to a terminal, plain lines ("latency: 12/100 runs, 3.1 s")
// otherwise, as in a CI log. It is safe for concurrent use by the workers
// of a run.
type Progress struct {
	mu       sync.Mutex
	w        io.Writer
	total    int
	o        ProgressOptions
	bar      *progressbar.ProgressBar // terminal mode only
	start    time.Time
	done     int
	lastDone int // count in the last line printed, -1 before any
	lastAt   time.Time
}

// ProgressOptions configure a Progress. The zero value writes plain
// lines, counts "runs" and reads the real clock.
type ProgressOptions struct {
	// Desc prefixes every report, e.g. the experiment's name.
	Desc string
	// Unit names what is counted; empty means "runs".
	Unit string
	// Terminal draws a bar rather than lines.
	Terminal bool
	// Every also prints a plain line when this long has passed since the
	// last one (zero: 10 s); lines come at every tenth of the total anyway.
	Every time.Duration
	// Now is the clock; nil means time.Now. Tests pass a fake one.
	Now func() time.Time
}

// NewProgress returns a Progress of total steps writing to w. A total
// below 1 is a bug and panics.
func NewProgress(w io.Writer, total int, o ProgressOptions) *Progress {
	if total < 1 {
		panic(fmt.Sprintf("results: progress of %d steps", total))
	}
	if o.Unit == "" {
		o.Unit = "runs"
	}
	if o.Every == 0 {
		o.Every = 10 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	p := &Progress{w: w, total: total, o: o, start: o.Now(), lastDone: -1}
	if o.Terminal {
		p.bar = newBar(w, total, o)
	}
	return p
}

// StderrProgress is NewProgress on standard error, with a bar exactly
// when standard error is a terminal.
func StderrProgress(total int, o ProgressOptions) *Progress {
	o.Terminal = term.IsTerminal(int(os.Stderr.Fd()))
	return NewProgress(os.Stderr, total, o)
}

func newBar(w io.Writer, total int, o ProgressOptions) *progressbar.ProgressBar {
	return progressbar.NewOptions(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(o.Desc),
		progressbar.OptionSetItsString(o.Unit),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionOnCompletion(func() { fmt.Fprintln(w) }),
	)
}

// Add records n more steps done (never past the total).
func (p *Progress) Add(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	n = min(n, p.total-p.done)
	if n <= 0 {
		return
	}
	p.done += n
	if p.bar != nil {
		p.bar.Add(n) // only a write error, which a report can ignore
		return
	}
	if now := p.o.Now(); p.tenth(p.done) > p.tenth(p.lastDone) || now.Sub(p.lastAt) >= p.o.Every {
		p.line(now)
	}
}

// Finish reports the final count if it has not been, and ends the bar.
func (p *Progress) Finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		if !p.bar.IsFinished() {
			p.bar.Exit()
		}
		return
	}
	if p.lastDone != p.done {
		p.line(p.o.Now())
	}
}

// tenth returns which tenth of the total done falls in.
func (p *Progress) tenth(done int) int {
	if done < 0 {
		return -1
	}
	return done * 10 / p.total
}

// line prints the plain report of the current count.
func (p *Progress) line(now time.Time) {
	prefix := ""
	if p.o.Desc != "" {
		prefix = p.o.Desc + ": "
	}
	fmt.Fprintf(p.w, "%s%d/%d %s, %.1f s\n", prefix, p.done, p.total, p.o.Unit, now.Sub(p.start).Seconds())
	p.lastDone, p.lastAt = p.done, now
}
