package results

import (
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock advances by step at each reading.
func fakeClock(step time.Duration) func() time.Time {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	return func() time.Time {
		t := now
		now = now.Add(step)
		return t
	}
}

func TestProgressLines(t *testing.T) {
	var b strings.Builder
	p := NewProgress(&b, 20, ProgressOptions{Desc: "latency", Now: fakeClock(300 * time.Millisecond), Every: time.Hour})
	for range 20 {
		p.Add(1)
	}
	p.Finish()
	want := "latency: 1/20 runs, 0.3 s\n" + // first step: the run is alive
		"latency: 2/20 runs, 0.6 s\n" + // then each tenth
		"latency: 4/20 runs, 1.2 s\n" +
		"latency: 6/20 runs, 1.8 s\n" +
		"latency: 8/20 runs, 2.4 s\n" +
		"latency: 10/20 runs, 3.0 s\n" +
		"latency: 12/20 runs, 3.6 s\n" +
		"latency: 14/20 runs, 4.2 s\n" +
		"latency: 16/20 runs, 4.8 s\n" +
		"latency: 18/20 runs, 5.4 s\n" +
		"latency: 20/20 runs, 6.0 s\n"
	if b.String() != want {
		t.Errorf("lines:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestProgressEveryAndFinish(t *testing.T) {
	var b strings.Builder
	p := NewProgress(&b, 1000, ProgressOptions{Unit: "seeds", Now: fakeClock(time.Second), Every: 3 * time.Second})
	for range 7 {
		p.Add(1)
	}
	p.Add(5000) // clamped to the total
	p.Finish()
	p.Finish() // nothing more to say
	want := "1/1000 seeds, 1.0 s\n" + "4/1000 seeds, 4.0 s\n" + "7/1000 seeds, 7.0 s\n" + "1000/1000 seeds, 8.0 s\n"
	if b.String() != want {
		t.Errorf("lines:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestProgressFinishEarly(t *testing.T) {
	var b strings.Builder
	p := NewProgress(&b, 100, ProgressOptions{Now: fakeClock(time.Second), Every: time.Hour})
	p.Add(1)
	p.Add(1)
	p.Finish()
	if want := "1/100 runs, 1.0 s\n2/100 runs, 3.0 s\n"; b.String() != want {
		t.Errorf("lines %q, want %q", b.String(), want)
	}
}

func TestProgressBar(t *testing.T) {
	var b syncBuilder
	p := NewProgress(&b, 50, ProgressOptions{Desc: "scaling", Terminal: true})
	var wg sync.WaitGroup
	for range 5 {
		wg.Go(func() {
			for range 10 {
				p.Add(1)
			}
		})
	}
	wg.Wait()
	p.Finish()
	out := b.String()
	if !strings.Contains(out, "scaling") || !strings.Contains(out, "50/50") || !strings.HasSuffix(out, "\n") || !strings.Contains(out, "\r") {
		t.Errorf("bar output %q: want the description, 50/50, carriage returns and a final newline", out)
	}
}

// syncBuilder is a strings.Builder safe for the bar's writes.
type syncBuilder struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuilder) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuilder) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestNewProgressPanicsOnNoSteps(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("NewProgress(0 steps) did not panic")
		}
	}()
	NewProgress(os.Stderr, 0, ProgressOptions{})
}

func ExampleProgress() {
	clock := fakeClock(250 * time.Millisecond)
	p := NewProgress(os.Stdout, 4, ProgressOptions{Desc: "latency", Unit: "endpoints", Now: clock})
	for range 4 {
		p.Add(1)
	}
	p.Finish()
	fmt.Println("done")
	// Output:
	// latency: 1/4 endpoints, 0.2 s
	// latency: 2/4 endpoints, 0.5 s
	// latency: 3/4 endpoints, 0.8 s
	// latency: 4/4 endpoints, 1.0 s
	// done
}
