package secconn

import (
	"fmt"
	"io"
	"net"
	"testing"
)

// BenchmarkThroughput measures one-way throughput of the encrypted stream
// (and, as "raw", of the bare transport) for several write sizes.
func BenchmarkThroughput(b *testing.B) {
	transports := []struct {
		name string
		pair func(testing.TB) (net.Conn, net.Conn)
	}{
		{"pipe", func(testing.TB) (net.Conn, net.Conn) { return net.Pipe() }},
		{"tcp", tcpPair},
	}
	for _, tr := range transports {
		for _, size := range []int{1 << 10, 64 << 10, 1 << 20} {
			for _, secure := range []bool{true, false} {
				name := fmt.Sprintf("%s/write=%dKiB/%s", tr.name, size>>10, map[bool]string{true: "secconn", false: "raw"}[secure])
				b.Run(name, func(b *testing.B) { benchStream(b, tr.pair, size, secure) })
			}
		}
	}
}

func benchStream(b *testing.B, pair func(testing.TB) (net.Conn, net.Conn), size int, secure bool) {
	var w, r net.Conn
	w, r = pair(b)
	if secure {
		w, r = mustPair(b, w, r)
	}
	defer w.Close()
	done := make(chan error, 1)
	go func() { _, err := io.CopyN(io.Discard, r, int64(b.N)*int64(size)); done <- err }()
	buf := make([]byte, size)
	b.SetBytes(int64(size))
	b.ResetTimer()
	for range b.N {
		if _, err := w.Write(buf); err != nil {
			b.Fatal(err)
		}
	}
	if err := <-done; err != nil {
		b.Fatal(err)
	}
}

// BenchmarkHandshake measures complete handshakes (both sides) over
// net.Pipe, reported as handshakes per second.
func BenchmarkHandshake(b *testing.B) {
	hc, hs := handshakers()
	b.ResetTimer()
	for range b.N {
		c, s := pipeShake(hc, hs, nil)
		if c.err != nil || s.err != nil {
			b.Fatalf("handshake: client %v, server %v", c.err, s.err)
		}
		c.conn.Close()
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "handshakes/s")
}
