package netem

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"testing"
	"time"
)

func TestConnCloseFlushesThenStops(t *testing.T) {
	_, c, server := shapedPair(t, func(m *Model) { m.SetLatency(AllLinks(), 50*ms) })
	data := bytes.Repeat([]byte("x"), 100<<10)
	if _, err := c.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	got, err := io.ReadAll(server) // all the data, then EOF
	if err != nil || !bytes.Equal(got, data) {
		t.Errorf("after close: read %d of %d bytes, %v", len(got), len(data), err)
	}
	waitNoDeliveryGoroutines(t)
}

func TestConnAfterClose(t *testing.T) {
	_, c, _ := shapedPair(t, func(*Model) {})
	c.Close()
	tests := []struct {
		name string
		op   func() error
	}{
		{"write", func() error { _, err := c.Write([]byte("x")); return err }},
		{"read", func() error { _, err := c.Read(make([]byte, 1)); return err }},
		{"close", c.Close},
	}
	for _, tt := range tests {
		if err := tt.op(); !errors.Is(err, net.ErrClosed) {
			t.Errorf("%s after close: got %v, want net.ErrClosed", tt.name, err)
		}
	}
}

func TestConnCloseUnblocksRead(t *testing.T) {
	_, c, _ := shapedPair(t, func(*Model) {})
	errc := make(chan error)
	go func() {
		_, err := c.Read(make([]byte, 1))
		errc <- err
	}()
	time.Sleep(20 * ms) // let the read block (the test passes either way)
	c.Close()
	if err := <-errc; !errors.Is(err, net.ErrClosed) {
		t.Errorf("blocked read after close: got %v, want net.ErrClosed", err)
	}
}

func TestConnWriteDeadlineOnFullBuffer(t *testing.T) {
	s, c, _ := shapedPair(t, func(*Model) {}, WithBufferSize(10))
	s.Do(func(m *Model) { m.IsolateNode("a") }) // nothing drains
	if n, err := c.Write(make([]byte, 10)); n != 10 || err != nil {
		t.Fatalf("filling the buffer: %d, %v", n, err)
	}
	c.SetWriteDeadline(time.Now().Add(30 * ms))
	n, err := c.Write([]byte("y"))
	var ne net.Error
	if n != 0 || !errors.Is(err, os.ErrDeadlineExceeded) || !errors.As(err, &ne) || !ne.Timeout() {
		t.Errorf("write on a full buffer: got %d, %v; want a timeout", n, err)
	}
}

func TestConnLargeWriteThroughSmallBuffer(t *testing.T) {
	_, c, server := shapedPair(t, func(m *Model) { m.SetLatency(AllLinks(), ms) },
		WithBufferSize(4<<10), WithSegmentSize(1<<10))
	data := make([]byte, 64<<10)
	for i := range data {
		data[i] = byte(i * 7)
	}
	go c.Write(data)
	got := make([]byte, len(data))
	if _, err := io.ReadFull(server, got); err != nil || !bytes.Equal(got, data) {
		t.Errorf("64 KiB through a 4 KiB buffer: %v, equal=%t", err, bytes.Equal(got, data))
	}
}

func TestShaperCloseStopsEveryGoroutine(t *testing.T) {
	waitNoDeliveryGoroutines(t) // earlier tests' loops may be between wg.Done and exit
	m := pair("x", "y")
	m.SetLatency(AllLinks(), time.Hour) // nothing would ever be delivered
	s := NewShaper(m, 1)
	for i := range 8 {
		client, _ := tcpPair(t)
		c, err := s.Wrap(client, "a", "b")
		if err != nil {
			t.Fatal(err)
		}
		c.Write([]byte("pending"))
		if i%2 == 0 {
			c.Close() // flushing, an hour to go
		}
	}
	s.Do(func(m *Model) { m.IsolateNode("b") })
	if got := deliveryGoroutines(); got != 8 {
		t.Errorf("delivery goroutines before Close: got %d, want 8", got)
	}
	s.Close()
	waitNoDeliveryGoroutines(t)
	if _, err := s.Wrap(nil, "a", "b"); !errors.Is(err, net.ErrClosed) {
		t.Errorf("wrap after close: got %v, want net.ErrClosed", err)
	}
}

func TestWrapUnknownNode(t *testing.T) {
	s := NewShaper(pair("x", "y"), 1)
	defer s.Close()
	if _, err := s.Wrap(nil, "a", "zz"); err == nil {
		t.Error("wrap to an unknown node succeeded")
	}
}

func TestListenerSkipsBadPeers(t *testing.T) {
	s := NewShaper(pair("x", "y"), 1)
	defer s.Close()
	raw, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := s.Listen(raw, "b", ReadPreamble)
	defer l.Close()
	addr := raw.Addr().String()
	bad := []string{"GET / HTTP/1.1\r\n\r\n", "NTM1\x00", "NTM1\x02zz"}
	for _, b := range bad {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		c.Write([]byte(b))
		defer c.Close()
	}
	good, err := s.Dial(context.Background(), "tcp", addr, "a", "b")
	if err != nil {
		t.Fatal(err)
	}
	defer good.Close()
	accepted, err := l.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer accepted.Close()
	from, to := accepted.(*Conn).Link()
	if from != "b" || to != "a" {
		t.Errorf("accepted conn shaped %s->%s, want b->a", from, to)
	}
}

func TestPeerByHost(t *testing.T) {
	_, server := tcpPair(t)
	tests := []struct {
		hosts   map[string]string
		want    string
		wantErr bool
	}{
		{map[string]string{"127.0.0.1": "n1"}, "n1", false},
		{map[string]string{"127.0.0.2": "n2"}, "", true},
	}
	for _, tt := range tests {
		got, err := PeerByHost(tt.hosts)(server)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("PeerByHost(%v): got %q, %v; want %q", tt.hosts, got, err, tt.want)
		}
	}
}
