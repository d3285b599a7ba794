package secconn

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"sync"
	"testing"
	"time"
)

func TestExchangeBothWays(t *testing.T) {
	transports := map[string]func(testing.TB) (net.Conn, net.Conn){
		"pipe": func(testing.TB) (net.Conn, net.Conn) { return net.Pipe() },
		"tcp":  tcpPair,
	}
	for _, name := range []string{"pipe", "tcp"} {
		for _, chunk := range []int{1, 1000, MaxFrame, 3*MaxFrame + 17} {
			t.Run(fmt.Sprintf("%s/write%d", name, chunk), func(t *testing.T) {
				a, b := transports[name](t)
				c, s := mustPair(t, a, b)
				defer c.Close()
				defer s.Close()
				size := 3 << 20
				if chunk == 1 {
					size = 20 << 10
				}
				exchange(t, c, s, size, chunk)
			})
		}
	}
}

// exchange sends size random bytes each way at once, in writes of chunk
// bytes, and checks both arrive intact.
func exchange(t *testing.T, c, s *Conn, size, chunk int) {
	t.Helper()
	rng := rand.New(rand.NewPCG(uint64(size), uint64(chunk)))
	up, down := randBytes(rng, size), randBytes(rng, size)
	var wg sync.WaitGroup
	errs := make([]error, 4)
	var gotUp, gotDown [32]byte
	wg.Add(4)
	go func() { defer wg.Done(); errs[0] = sendAll(c, up, chunk) }()
	go func() { defer wg.Done(); errs[1] = sendAll(s, down, chunk) }()
	go func() { defer wg.Done(); gotUp, errs[2] = digestOf(s, size) }()
	go func() { defer wg.Done(); gotDown, errs[3] = digestOf(c, size) }()
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatalf("exchange: %v", err)
	}
	if want := sha256Sum(up); gotUp != want {
		t.Errorf("client→server data corrupted")
	}
	if want := sha256Sum(down); gotDown != want {
		t.Errorf("server→client data corrupted")
	}
}

// TestConcurrentWriters checks that concurrent Writes, each larger than a
// frame at times, arrive whole and in each writer's order.
func TestConcurrentWriters(t *testing.T) {
	a, b := tcpPair(t)
	c, s := mustPair(t, a, b)
	defer c.Close()
	defer s.Close()
	const writers, records = 8, 40
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 1))
			for seq := range records {
				c.Write(record(w, seq, 1+rng.IntN(150_000)))
			}
		}()
	}
	next := make([]int, writers)
	for range writers * records {
		w, seq, err := readRecord(s)
		if err != nil {
			t.Fatalf("read record: %v", err)
		}
		if seq != next[w] {
			t.Fatalf("writer %d: got record %d, want %d", w, seq, next[w])
		}
		next[w]++
	}
	wg.Wait()
}

// record is a self-checking message: writer, seq, length, then a payload
// derived from writer and seq.
func record(w, seq, n int) []byte {
	buf := make([]byte, 9+n)
	buf[0] = byte(w)
	binary.BigEndian.PutUint32(buf[1:], uint32(seq))
	binary.BigEndian.PutUint32(buf[5:], uint32(n))
	for i := range n {
		buf[9+i] = byte(w*31 + seq + i)
	}
	return buf
}

func readRecord(r io.Reader) (w, seq int, err error) {
	var head [9]byte
	if _, err := io.ReadFull(r, head[:]); err != nil {
		return 0, 0, err
	}
	w, seq = int(head[0]), int(binary.BigEndian.Uint32(head[1:]))
	body := make([]byte, binary.BigEndian.Uint32(head[5:]))
	if _, err := io.ReadFull(r, body); err != nil {
		return 0, 0, err
	}
	if want := record(w, seq, len(body)); !bytes.Equal(body, want[9:]) {
		return 0, 0, fmt.Errorf("record %d/%d: payload interleaved or corrupted", w, seq)
	}
	return w, seq, nil
}

// TestReflectedFramesRejected feeds a Conn its own frames: directional keys
// make them unreadable.
func TestReflectedFramesRejected(t *testing.T) {
	send, recv := testAEADs(t)
	wire := sealed(t, send, []byte("hello"))
	f := newFakeConn(wire)
	c := newConn(f, send, recv, nil)
	if _, err := c.Read(make([]byte, 10)); !errors.Is(err, ErrAuth) {
		t.Fatalf("read of reflected frame: err = %v, want ErrAuth", err)
	}
}

func TestEndOfStream(t *testing.T) {
	send, _ := testAEADs(t)
	wire := sealed(t, send, []byte("one"), []byte("two"))
	tests := []struct {
		name string
		cut  int
		want error
	}{
		{"between frames", len(wire), io.EOF},
		{"in a header", len(wire) - 21, io.ErrUnexpectedEOF},
		{"in a body", len(wire) - 5, io.ErrUnexpectedEOF},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newConn(newFakeConn(wire[:tt.cut]), send, send, nil)
			got, err := io.ReadAll(c)
			if !errors.Is(err, tt.want) && !(tt.want == io.EOF && err == nil) {
				t.Fatalf("ReadAll err = %v, want %v", err, tt.want)
			}
			if string(got[:3]) != "one" {
				t.Errorf("ReadAll = %q, want it to start with one", got)
			}
		})
	}
}

// TestReadDeadlineMidFrame lets a read deadline expire while half a frame
// has arrived: the error is a timeout and the next Read resumes the frame.
func TestReadDeadlineMidFrame(t *testing.T) {
	send, _ := testAEADs(t)
	msg := bytes.Repeat([]byte("x"), 5000)
	wire := sealed(t, send, msg)
	raw, end := net.Pipe()
	defer raw.Close()
	c := newConn(end, send, send, nil)
	resume := make(chan struct{})
	go func() {
		raw.Write(wire[:len(wire)/2])
		<-resume
		raw.Write(wire[len(wire)/2:])
	}()
	c.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	_, err := c.Read(make([]byte, len(msg)))
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("first Read err = %v, want a timeout", err)
	}
	close(resume)
	c.SetReadDeadline(time.Time{})
	got := make([]byte, len(msg))
	if _, err := io.ReadFull(c, got); err != nil || !bytes.Equal(got, msg) {
		t.Fatalf("resumed Read = %d bytes, %v; want the whole message", len(got), err)
	}
}

func randBytes(rng *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return b
}
