package netem

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
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
func shapedPair(t *testing.T, set func(m *Model), opts ...ShaperOption) (*Shaper, *Conn, net.Conn) {
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

func TestShaperOneWayDelay(t *testing.T) {
	tests := []struct {
		name    string
		latency time.Duration
		jitter  Jitter
	}{
		{"fixed 30ms", 30 * ms, NoJitter{}},
		{"50ms ± 10ms", 50 * ms, Uniform{Width: 10 * ms}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, c, server := shapedPair(t, func(m *Model) {
				m.SetLatency(AllLinks(), tt.latency)
				m.SetJitter(AllLinks(), tt.jitter)
			})
			what := fmt.Sprintf("one-way delay, configured %v %v", tt.latency, tt.jitter)
			roughly(t, what, tt.latency, func() time.Duration {
				return meanOneWay(t, c, server, 25, 25*ms)
			})
		})
	}
}

// roughly logs the mean that measure returns and fails t unless it is
// within 50% of want in one of three attempts: the machine may be busy
// (go test runs packages in parallel), and a shaper can be made late by
// load but never early by more than its slack.
func roughly(t *testing.T, what string, want time.Duration, measure func() time.Duration) {
	t.Helper()
	var got []time.Duration
	for range 3 {
		mean := measure()
		t.Logf("%s: measured mean %v", what, mean)
		if mean >= want/2 && mean <= want*3/2 {
			return
		}
		got = append(got, mean)
	}
	t.Errorf("%s: means %v, want %v within 50%%", what, got, want)
}

// meanOneWay writes n timestamped messages on c, gap apart, and returns the
// mean delay with which they come out of server.
func meanOneWay(t *testing.T, c *Conn, server net.Conn, n int, gap time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	go func() {
		for range n {
			var b [8]byte
			binary.BigEndian.PutUint64(b[:], uint64(time.Since(start)))
			c.Write(b[:])
			time.Sleep(gap)
		}
	}()
	var sum time.Duration
	for range n {
		var b [8]byte
		if _, err := io.ReadFull(server, b[:]); err != nil {
			t.Fatal(err)
		}
		sum += time.Since(start) - time.Duration(binary.BigEndian.Uint64(b[:]))
	}
	return sum / time.Duration(n)
}

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
	roughly(t, "Garage5 n1<->n2 RTT over 10 pings, configured 100ms ± 20ms", 100*ms, func() time.Duration {
		return meanRTT(t, c, 10)
	})
}

// meanRTT returns the mean time a 64-byte ping takes to come back on c.
func meanRTT(t *testing.T, c net.Conn, n int) time.Duration {
	t.Helper()
	var sum time.Duration
	buf := make([]byte, 64)
	for range n {
		t0 := time.Now()
		if _, err := c.Write(buf); err != nil {
			t.Fatal(err)
		}
		if _, err := io.ReadFull(c, buf); err != nil {
			t.Fatal(err)
		}
		sum += time.Since(t0)
	}
	return sum / time.Duration(n)
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

func TestShaperBandwidth(t *testing.T) {
	const size, bw = 256 << 10, 1 << 20 // 256 KiB at 1 MiB/s: 250 ms
	tests := []struct {
		name string
		set  func(m *Model)
	}{
		{"link", func(m *Model) { m.SetBandwidth(AllLinks(), bw) }},
		{"uplink", func(m *Model) { m.SetUplink(bw, "a") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, c, server := shapedPair(t, func(m *Model) {
				m.SetLatency(AllLinks(), ms)
				tt.set(m)
			})
			want := time.Duration(float64(size)/bw*float64(time.Second)) + ms
			first, last, ok := transfer(t, c, server, size)
			t.Logf("%d KiB at %d KiB/s: first bytes after %v, all after %v, model says %v",
				size>>10, bw>>10, first, last, want)
			if !ok {
				t.Error("data corrupted")
			}
			if last < want*9/10 || last > want*5 {
				t.Errorf("transfer took %v, want about %v", last, want)
			}
			if first > last/2 {
				t.Errorf("first bytes after %v of %v: the write did not stream", first, last)
			}
		})
	}
}

// transfer writes size bytes on c in one Write and returns when the first
// and the last of them came out of server, and whether they came intact.
func transfer(t *testing.T, c *Conn, server net.Conn, size int) (first, last time.Duration, ok bool) {
	t.Helper()
	data := bytes.Repeat([]byte("0123456789abcdef"), size/16)
	t0 := time.Now()
	if n, err := c.Write(data); n != size || err != nil {
		t.Fatalf("write: %d, %v", n, err)
	}
	got := make([]byte, size)
	if _, err := io.ReadFull(server, got[:1]); err != nil {
		t.Fatal(err)
	}
	first = time.Since(t0)
	if _, err := io.ReadFull(server, got[1:]); err != nil {
		t.Fatal(err)
	}
	return first, time.Since(t0), bytes.Equal(got, data)
}

func TestShaperLossBecomesDelay(t *testing.T) {
	_, c, server := shapedPair(t, func(m *Model) {
		m.SetLatency(AllLinks(), 2*ms)
		m.SetLoss(AllLinks(), 0.2)
	}, WithMinRTO(20*ms))
	mean := meanOneWay(t, c, server, 30, 5*ms)
	t.Logf("2ms link with 20%% loss and a 20ms RTO: mean one-way %v", mean)
	if mean < 10*ms {
		t.Errorf("mean delay %v: losses cost no retransmission timeout", mean)
	}
}

func TestShaperPartitionHold(t *testing.T) {
	s, c, server := shapedPair(t, func(m *Model) { m.SetLatency(AllLinks(), 5*ms) })
	s.Do(func(m *Model) { m.CutOneWay([]string{"a"}, []string{"b"}) })
	if _, err := c.Write([]byte("held")); err != nil {
		t.Fatal(err)
	}
	server.SetReadDeadline(time.Now().Add(150 * ms))
	if n, err := server.Read(make([]byte, 4)); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("read across the cut: %d bytes, %v", n, err)
	}
	if got := c.Buffered(); got != 4 {
		t.Errorf("buffered during the cut: got %d, want 4", got)
	}
	s.Do(func(m *Model) { m.HealAll() })
	server.SetReadDeadline(time.Time{})
	got := make([]byte, 4)
	if _, err := io.ReadFull(server, got); err != nil || string(got) != "held" {
		t.Errorf("after heal: got %q, %v", got, err)
	}
}

func TestShaperPartitionFail(t *testing.T) {
	s, c, server := shapedPair(t, func(m *Model) { m.SetLatency(AllLinks(), 400*ms) },
		WithPartitionMode(PartitionFail))
	if _, err := c.Write([]byte("in flight")); err != nil {
		t.Fatal(err)
	}
	s.Do(func(m *Model) { m.IsolateNode("b") })
	if n, err := io.ReadAll(server); len(n) != 0 || err != nil {
		t.Errorf("in-flight data across a failing cut: got %q, %v; want EOF at once", n, err)
	}
	if _, err := c.Write([]byte("more")); !errors.Is(err, ErrPartitioned) {
		t.Errorf("write after the cut: got %v, want ErrPartitioned", err)
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
