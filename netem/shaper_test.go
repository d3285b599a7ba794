package netem

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"runtime"
	"strings"
	"testing"
	"time"
)

// tcpPair returns the two ends of a loopback TCP connection.
func tcpPair(t testing.TB) (client, server net.Conn) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	client, err = net.Dial("tcp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	server, err = l.Accept()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close(); server.Close() })
	return client, server
}

// deliveryGoroutines counts the delivery goroutines of shaped connections,
// in any shaper. It counts creation sites: a goroutine that has not run yet
// shows no frames.
func deliveryGoroutines() int {
	buf := make([]byte, 1<<20)
	n := runtime.Stack(buf, true)
	return strings.Count(string(buf[:n]), "created by github.com/gogarage/garage/netem.(*Shaper).Wrap")
}

// waitNoDeliveryGoroutines fails t if delivery goroutines are still running
// after a generous grace period (they may be between wg.Done and exit).
func waitNoDeliveryGoroutines(t *testing.T) {
	t.Helper()
	for range 200 {
		if deliveryGoroutines() == 0 {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Errorf("%d delivery goroutines still running", deliveryGoroutines())
}

// shapedPair returns a shaper over a two-node model a, b (built by set) and
// a loopback connection whose a end is shaped a->b.
func shapedPair(t testing.TB, set func(m *Model), opts ...ShaperOption) (*Shaper, *Conn, net.Conn) {
	t.Helper()
	m := pair("x", "y")
	set(m)
	s := NewShaper(m, 1, opts...)
	t.Cleanup(func() { s.Close() })
	client, server := tcpPair(t)
	c, err := s.Wrap(client, "a", "b")
	if err != nil {
		t.Fatal(err)
	}
	return s, c, server
}

// write writes msg on c, failing t unless all of it is taken.
func write(t *testing.T, c *Conn, msg string) {
	t.Helper()
	if n, err := c.Write([]byte(msg)); n != len(msg) || err != nil {
		t.Fatalf("write %q: %d, %v", msg, n, err)
	}
}

// fireNext waits until the delivery loop sleeps on its timer and moves the
// clock to the timer's deadline.
func fireNext(t *testing.T, clk *fakeClock) {
	t.Helper()
	await(t, "the delivery loop arms its timer", func() bool {
		armed, _ := clk.next()
		return armed > 0
	})
	_, at := clk.next()
	clk.advanceTo(at)
}

// TestShaperOneWayDelay writes messages far enough apart that each is out
// before the next, and checks on a fake clock that each reaches the
// underlying connection exactly when a twin of the model, fed the same
// sends and seed, delivers it, within the latency ± jitter bounds.
func TestShaperOneWayDelay(t *testing.T) {
	tests := []struct {
		name    string
		latency time.Duration
		jitter  Jitter
		lo, hi  time.Duration
	}{
		{"fixed 30ms", 30 * ms, NoJitter{}, 30 * ms, 30 * ms},
		{"50ms ± 10ms", 50 * ms, Uniform{Width: 10 * ms}, 40 * ms, 60 * ms},
		{"50ms + pareto", 50 * ms, Pareto{Scale: 10 * ms, Shape: 2, Max: 500 * ms}, 50 * ms, 550 * ms},
	}
	const n, gap = 20, time.Second
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set := func(m *Model) {
				m.SetLatency(AllLinks(), tt.latency)
				m.SetJitter(AllLinks(), tt.jitter)
			}
			_, clk, c, tp := fakeShaped(t, set)
			twin, r := pair("x", "y"), NewRand(1)
			set(twin)
			distinct := map[time.Duration]bool{}
			for i := range n {
				sent := time.Duration(i) * gap
				clk.advanceTo(tp.start.Add(sent))
				msg := fmt.Sprintf("m%02d", i)
				write(t, c, msg)
				release(t, clk, tp, 3*(i+1))
				got, want := tp.arrivals()[i], twin.Send(sent, "a", "b", len(msg), r).Deliver
				if got.data != msg || got.at != want {
					t.Errorf("%s written at %v: %q released at %v, want at %v", msg, sent, got.data, got.at, want)
				}
				if d := got.at - sent; d < tt.lo || d > tt.hi {
					t.Errorf("%s: one-way delay %v outside [%v, %v]", msg, d, tt.lo, tt.hi)
				}
				distinct[got.at-sent] = true
			}
			if jittered := tt.lo != tt.hi; jittered && len(distinct) < n/2 {
				t.Errorf("only %d distinct delays in %d writes: jitter not applied", len(distinct), n)
			}
		})
	}
}

// TestShaperBandwidth writes 256 KiB in one Write over a link (or an
// uplink) of 1 MiB/s with 1 ms of latency: its 16 KiB segments must be
// released as the link streams them, one every 15.625 ms, the last at the
// write's delivery time, 251 ms, intact.
func TestShaperBandwidth(t *testing.T) {
	const size, seg, bw = 256 << 10, 16 << 10, 1 << 20
	const perSeg = 15625 * time.Microsecond // seg / bw
	tests := []struct {
		name string
		set  func(m *Model)
	}{
		{"link", func(m *Model) { m.SetBandwidth(AllLinks(), bw) }},
		{"uplink", func(m *Model) { m.SetUplink(bw, "a") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, clk, c, tp := fakeShaped(t, func(m *Model) {
				m.SetLatency(AllLinks(), ms)
				tt.set(m)
			}, WithSegmentSize(seg))
			data := strings.Repeat("0123456789abcdef", size/16)
			write(t, c, data)
			release(t, clk, tp, size)
			got := tp.arrivals()
			if len(got) != size/seg {
				t.Fatalf("%d segments released, want %d", len(got), size/seg)
			}
			var joined strings.Builder
			for k, a := range got {
				if want := ms + time.Duration(k+1)*perSeg; a.at != want {
					t.Errorf("segment %d released at %v, want %v", k, a.at, want)
				}
				joined.WriteString(a.data)
			}
			if joined.String() != data {
				t.Error("data corrupted")
			}
		})
	}
}

// TestShaperLossBecomesRTO loses every attempt: the shaper retransmits
// maxRetransmits times, the timeout max(MinRTO, 2·RTT) doubling each time,
// then delivers anyway, one latency after the last timeout.
func TestShaperLossBecomesRTO(t *testing.T) {
	const backoff = 1<<maxRetransmits - 1 // 1 + 2 + … + 2^(maxRetransmits-1) timeouts
	tests := []struct {
		name            string
		latency, minRTO time.Duration
		want            time.Duration
	}{
		{"RTO is MinRTO", 2 * ms, 20 * ms, 2*ms + backoff*20*ms},
		{"RTO is 2·RTT", 30 * ms, 20 * ms, 30*ms + backoff*120*ms},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, clk, c, tp := fakeShaped(t, func(m *Model) {
				m.SetLatency(AllLinks(), tt.latency)
				m.SetLoss(AllLinks(), 1)
			}, WithMinRTO(tt.minRTO))
			write(t, c, "lost")
			release(t, clk, tp, 4)
			if got := tp.arrivals()[0]; got.at != tt.want || got.data != "lost" {
				t.Errorf("%q released at %v, want at %v", got.data, got.at, tt.want)
			}
		})
	}
}

// TestShaperLossCostsRetransmissions sends writes over a lossy 2 ms link
// with a 20 ms RTO: each must arrive 2 ms plus (2^k − 1) RTOs after it was
// written, k being the number of times the model lost it, and the k must
// add up to the losses the model counted.
func TestShaperLossCostsRetransmissions(t *testing.T) {
	const n, gap, latency, rto = 100, 2 * time.Second, 2 * ms, 20 * ms
	s, clk, c, tp := fakeShaped(t, func(m *Model) {
		m.SetLatency(AllLinks(), latency)
		m.SetLoss(AllLinks(), 0.3)
	}, WithMinRTO(rto))
	losses := map[int]int{} // retransmissions -> writes
	total := 0
	for i := range n {
		sent := time.Duration(i) * gap
		clk.advanceTo(tp.start.Add(sent))
		write(t, c, "x")
		release(t, clk, tp, i+1)
		extra := tp.arrivals()[i].at - sent - latency
		k := retransmissions(extra, rto)
		if k < 0 {
			t.Fatalf("write %d: delayed %v beyond the latency, not a sum of doubling %v timeouts", i, extra, rto)
		}
		losses[k]++
		total += k
	}
	var st Stats
	s.Do(func(m *Model) { st = m.Stats() })
	if int64(total) != st.Lost {
		t.Errorf("delays account for %d retransmissions, the model lost %d sends", total, st.Lost)
	}
	if losses[0] == 0 || losses[0] == n {
		t.Errorf("retransmissions per write %v: want some writes lost and some not", losses)
	}
}

// retransmissions returns k if extra is (2^k − 1)·rto for some k in [0,
// maxRetransmits], else -1.
func retransmissions(extra, rto time.Duration) int {
	for k := range maxRetransmits + 1 {
		if extra == time.Duration(1<<k-1)*rto {
			return k
		}
	}
	return -1
}

// TestShaperKeepsStreamOrder writes faster than a heavily jittered link
// can keep its order: a write may not overtake an earlier one, so each is
// released at its model delivery time or with the write before it.
func TestShaperKeepsStreamOrder(t *testing.T) {
	const n = 10
	set := func(m *Model) {
		m.SetLatency(AllLinks(), 50*ms)
		m.SetJitter(AllLinks(), Uniform{Width: 40 * ms})
	}
	_, clk, c, tp := fakeShaped(t, set)
	twin, r := pair("x", "y"), NewRand(1)
	set(twin)
	var want []time.Duration
	reordered := false
	for i := range n { // all written before the first can be out (10 ms)
		sent := time.Duration(i) * ms
		clk.advanceTo(tp.start.Add(sent))
		write(t, c, fmt.Sprint(i))
		at := twin.Send(sent, "a", "b", 1, r).Deliver
		if i > 0 && at < want[i-1] {
			at, reordered = want[i-1], true
		}
		want = append(want, at)
	}
	if !reordered {
		t.Fatal("the model kept these writes in order anyway: the test proves nothing")
	}
	release(t, clk, tp, n)
	for i, a := range tp.arrivals() {
		if a.data != fmt.Sprint(i) || a.at != want[i] {
			t.Errorf("arrival %d: %q at %v, want %q at %v", i, a.data, a.at, fmt.Sprint(i), want[i])
		}
	}
}

// TestShaperPartitionHold cuts the link before a write or while it is in
// flight: the data stays buffered through an hour of cut, and comes out
// exactly one latency after the heal.
func TestShaperPartitionHold(t *testing.T) {
	cut := func(s *Shaper) { s.Do(func(m *Model) { m.CutOneWay([]string{"a"}, []string{"b"}) }) }
	tests := []struct {
		name          string
		before, after func(s *Shaper)
	}{
		{"written across the cut", cut, func(*Shaper) {}},
		{"in flight when cut", func(*Shaper) {}, cut},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, clk, c, tp := fakeShaped(t, func(m *Model) { m.SetLatency(AllLinks(), 5*ms) })
			tt.before(s)
			write(t, c, "held")
			tt.after(s)
			fireNext(t, clk) // the write's delivery time: the link is cut
			await(t, "the delivery loop holds the data", c.isHolding)
			clk.advanceTo(tp.start.Add(time.Hour))
			if got, n := tp.arrivals(), c.Buffered(); len(got) != 0 || n != 4 {
				t.Fatalf("during the cut: released %v, %d bytes buffered; want nothing released, 4 buffered", got, n)
			}
			s.Do(func(m *Model) { m.HealAll() })
			release(t, clk, tp, 4)
			if got := tp.arrivals()[0]; got.data != "held" || got.at != time.Hour+5*ms {
				t.Errorf("after the heal at 1h: %q released at %v, want \"held\" at 1h0m0.005s", got.data, got.at)
			}
		})
	}
}

// TestShaperPartitionFail cuts the link while a write is in flight, in
// PartitionFail mode: the data is dropped, the underlying connection
// closed, and later writes fail.
func TestShaperPartitionFail(t *testing.T) {
	s, clk, c, tp := fakeShaped(t, func(m *Model) { m.SetLatency(AllLinks(), 400*ms) },
		WithPartitionMode(PartitionFail))
	write(t, c, "in flight")
	s.Do(func(m *Model) { m.IsolateNode("b") })
	fireNext(t, clk)
	await(t, "the underlying connection is closed", tp.isClosed)
	if got := tp.arrivals(); len(got) != 0 {
		t.Errorf("in-flight data across a failing cut: released %v, want nothing", got)
	}
	if _, err := c.Write([]byte("more")); !errors.Is(err, ErrPartitioned) {
		t.Errorf("write after the cut: got %v, want ErrPartitioned", err)
	}
}

// TestShaperRoundTripOverDialAndListen is the real-time smoke test: pings
// over a connection made by Dial, accepted through Listen and shaped at
// both ends by Garage5, all come back, in order. It asserts no duration.
func TestShaperRoundTripOverDialAndListen(t *testing.T) {
	s := NewShaper(Garage5(), 5)
	defer s.Close()
	raw, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := s.Listen(raw, "n2", ReadPreamble)
	defer l.Close()
	go echo(l)
	c, err := s.Dial(context.Background(), "tcp", raw.Addr().String(), "n1", "n2")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for i := range 5 {
		ping := fmt.Sprintf("ping %d", i)
		write(t, c, ping)
		got := make([]byte, len(ping))
		if _, err := io.ReadFull(c, got); err != nil || string(got) != ping {
			t.Fatalf("echo of %q: got %q, %v", ping, got, err)
		}
	}
}

// echo serves l, copying each connection's input back to it.
func echo(l net.Listener) {
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		go func() {
			defer c.Close()
			io.Copy(c, c)
		}()
	}
}

func TestShaperFailsNewWritesAcrossACut(t *testing.T) {
	s, c, _ := shapedPair(t, func(*Model) {}, WithPartitionMode(PartitionFail))
	s.Do(func(m *Model) { m.CutOneWay([]string{"a"}, []string{"b"}) })
	if _, err := c.Write([]byte("x")); !errors.Is(err, ErrPartitioned) {
		t.Errorf("write across the cut: got %v, want ErrPartitioned", err)
	}
}

func TestShaperLearnsTimerLateness(t *testing.T) {
	s := NewShaper(pair("x", "y"), 1)
	defer s.Close()
	steps := []struct{ late, want time.Duration }{
		{8 * ms, ms},
		{8 * ms, 2 * ms},
		{-8 * ms, ms},
		{-100 * ms, 0},
		{time.Second, maxSlack},
		{0, maxSlack},
	}
	for i, st := range steps {
		s.learn(st.late)
		if got := s.slack(); got != st.want {
			t.Errorf("step %d: after lateness %v: slack %v, want %v", i, st.late, got, st.want)
		}
	}
}
