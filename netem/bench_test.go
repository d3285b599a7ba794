package netem

import (
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
