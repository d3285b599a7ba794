package netem

import (
	"encoding/binary"
	"fmt"
	"io"
	"testing"
	"time"
)

// BenchmarkSend measures one Send on the simulator's hot path, with and
// without the features that cost something.
func BenchmarkSend(b *testing.B) {
	cases := []struct {
		name  string
		model func() *Model
	}{
		{"Garage5", Garage5},
		{"ThreeDCs250", func() *Model { return ThreeDCs(250) }},
		{"ThreeDCs250/cuts+loss+bw", func() *Model {
			m := ThreeDCs(250)
			m.SetLoss(AllLinks(), 0.01)
			m.SetBandwidth(AllLinks(), 125e6)
			m.IsolateZone("dc3")
			m.CutOneWay([]string{"n1", "n2"}, []string{"n4"})
			return m
		}},
	}
	for _, bc := range cases {
		b.Run(bc.name, func(b *testing.B) {
			m := bc.model()
			nodes := m.Nodes()
			r := NewRand(1)
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				from, to := nodes[i%len(nodes)], nodes[(i*7+1)%len(nodes)]
				m.Send(time.Duration(i)*time.Microsecond, from, to, 4096, r)
				i++
			}
		})
	}
}

// BenchmarkShaperThroughput pushes bytes through a shaped loopback
// connection with a 1 ms link of unlimited bandwidth: the cost of the
// shaper itself.
func BenchmarkShaperThroughput(b *testing.B) {
	for _, seg := range []int{4 << 10, 16 << 10, 64 << 10} {
		b.Run(fmt.Sprintf("segment=%dKiB", seg>>10), func(b *testing.B) {
			benchThroughput(b, seg)
		})
	}
}

func benchThroughput(b *testing.B, seg int) {
	m := pair("x", "y")
	m.SetLatency(AllLinks(), time.Millisecond)
	s := NewShaper(m, 1, WithSegmentSize(seg))
	defer s.Close()
	client, server := tcpPair(b)
	c, err := s.Wrap(client, "a", "b")
	if err != nil {
		b.Fatal(err)
	}
	buf := make([]byte, 64<<10)
	b.SetBytes(int64(len(buf)))
	done := make(chan error)
	go func() {
		_, err := io.CopyN(io.Discard, server, int64(b.N)*int64(len(buf)))
		done <- err
	}()
	for range b.N {
		if _, err := c.Write(buf); err != nil {
			b.Fatal(err)
		}
	}
	if err := <-done; err != nil {
		b.Fatal(err)
	}
}

// BenchmarkLink measures the configuration lookup the simulator makes
// before each send.
func BenchmarkLink(b *testing.B) {
	m := ThreeDCs(6)
	for b.Loop() {
		m.Link("n1", "n2")
	}
}

// BenchmarkShaperRTT ping-pongs 64 bytes over a loopback connection shaped
// at both ends by Garage5 (100 ms RTT ± 20 ms) and reports the measured
// mean RTT and its excess over the model's 100 ms.
func BenchmarkShaperRTT(b *testing.B) {
	s := NewShaper(Garage5(), 1)
	defer s.Close()
	client, server := tcpPair(b)
	c, err := s.Wrap(client, "n1", "n2")
	if err != nil {
		b.Fatal(err)
	}
	sc, err := s.Wrap(server, "n2", "n1")
	if err != nil {
		b.Fatal(err)
	}
	go io.Copy(sc, sc)
	buf := make([]byte, 64)
	start := time.Now()
	for b.Loop() {
		c.Write(buf)
		if _, err := io.ReadFull(c, buf); err != nil {
			b.Fatal(err)
		}
	}
	mean := time.Since(start) / time.Duration(b.N)
	b.ReportMetric(float64(mean)/1e6, "rtt-ms")
	b.ReportMetric(float64(mean-100*time.Millisecond)/1e3, "excess-µs")
}

// BenchmarkShaperOneWay sends timestamped 8-byte messages, one at a time,
// over a loopback connection shaped a->b on real time, and reports the
// measured mean one-way delay and its ratio to the model's mean (the exact
// delays are checked on a fake clock by TestShaperOneWayDelay and
// TestShaperLossCostsRetransmissions).
func BenchmarkShaperOneWay(b *testing.B) {
	cases := []struct {
		name  string
		set   func(m *Model)
		opts  []ShaperOption
		model time.Duration // mean one-way delay of the model
	}{
		{"fixed 30ms", func(m *Model) { m.SetLatency(AllLinks(), 30*time.Millisecond) }, nil, 30 * time.Millisecond},
		{"50ms ± 10ms", func(m *Model) {
			m.SetLatency(AllLinks(), 50*time.Millisecond)
			m.SetJitter(AllLinks(), Uniform{Width: 10 * time.Millisecond})
		}, nil, 50 * time.Millisecond},
		// 2 ms plus (2^k − 1)·20 ms for k losses (at most 6) of
		// probability 0.2 each: 2 ms + 0.331968 × 20 ms.
		{"2ms, 20% loss, RTO 20ms", func(m *Model) {
			m.SetLatency(AllLinks(), 2*time.Millisecond)
			m.SetLoss(AllLinks(), 0.2)
		}, []ShaperOption{WithMinRTO(20 * time.Millisecond)}, 8639360 * time.Nanosecond},
	}
	for _, bc := range cases {
		b.Run(bc.name, func(b *testing.B) {
			_, c, server := shapedPair(b, bc.set, bc.opts...)
			var sum time.Duration
			var msg [8]byte
			for b.Loop() {
				binary.BigEndian.PutUint64(msg[:], uint64(time.Now().UnixNano()))
				if _, err := c.Write(msg[:]); err != nil {
					b.Fatal(err)
				}
				if _, err := io.ReadFull(server, msg[:]); err != nil {
					b.Fatal(err)
				}
				sum += time.Duration(time.Now().UnixNano() - int64(binary.BigEndian.Uint64(msg[:])))
			}
			mean := sum / time.Duration(b.N)
			b.ReportMetric(float64(mean)/1e6, "one-way-ms")
			b.ReportMetric(float64(mean)/float64(bc.model), "ratio-to-model")
		})
	}
}

// BenchmarkShaperBandwidth writes 256 KiB at once over a loopback
// connection shaped to 1 ms and 1 MiB/s (on the link, or on the sender's
// uplink) and reports when the first bytes and all of them came out on
// real time, and the ratio of the transfer to the model's 251 ms (the
// release of each segment is checked on a fake clock by
// TestShaperBandwidth).
func BenchmarkShaperBandwidth(b *testing.B) {
	const size, bw = 256 << 10, 1 << 20
	const model = 251 * time.Millisecond
	cases := []struct {
		name string
		set  func(m *Model)
	}{
		{"link", func(m *Model) { m.SetBandwidth(AllLinks(), bw) }},
		{"uplink", func(m *Model) { m.SetUplink(bw, "a") }},
	}
	for _, bc := range cases {
		b.Run(bc.name, func(b *testing.B) {
			_, c, server := shapedPair(b, func(m *Model) {
				m.SetLatency(AllLinks(), time.Millisecond)
				bc.set(m)
			})
			data, got := make([]byte, size), make([]byte, size)
			var first, all time.Duration
			for b.Loop() {
				t0 := time.Now()
				if _, err := c.Write(data); err != nil {
					b.Fatal(err)
				}
				if _, err := io.ReadFull(server, got[:1]); err != nil {
					b.Fatal(err)
				}
				first += time.Since(t0)
				if _, err := io.ReadFull(server, got[1:]); err != nil {
					b.Fatal(err)
				}
				all += time.Since(t0)
			}
			n := time.Duration(b.N)
			b.ReportMetric(float64(first/n)/1e6, "first-ms")
			b.ReportMetric(float64(all/n)/1e6, "transfer-ms")
			b.ReportMetric(float64(all/n)/float64(model), "ratio-to-model")
		})
	}
}
