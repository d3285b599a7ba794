package host

import (
	"encoding/binary"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"testing"
	"time"
)

// rawPeer is a hand-driven TCP client speaking (or abusing) the protocol.
type rawPeer struct {
	t  *testing.T
	nc net.Conn
}

func dialRaw(t *testing.T, n *Net) *rawPeer {
	t.Helper()
	nc, err := net.Dial("tcp", n.Addr())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nc.Close() })
	nc.SetDeadline(time.Now().Add(5 * time.Second))
	return &rawPeer{t: t, nc: nc}
}

// hello introduces the raw peer as "zz" (above n1, so n1 decides) and
// consumes the node's hello and accept.
func (r *rawPeer) hello() *rawPeer {
	r.t.Helper()
	r.write(encodeHello(hello{id: "zz", incarnation: 42}))
	if h, p := r.read(); h.typ != ftHello {
		r.t.Fatalf("got %v frame (%q), want hello", h.typ, p)
	}
	if h, _ := r.read(); h.typ != ftAccept {
		r.t.Fatalf("got %v frame, want accept", h.typ)
	}
	return r
}

func (r *rawPeer) write(b []byte) {
	r.t.Helper()
	if _, err := r.nc.Write(b); err != nil {
		r.t.Fatalf("write: %v", err)
	}
}

func (r *rawPeer) read() (header, []byte) {
	r.t.Helper()
	h, p, err := readFrame(r.nc, 1<<20)
	if err != nil {
		r.t.Fatalf("read: %v", err)
	}
	return h, p
}

// closedByNode reports whether the node closed the connection, reading
// (and discarding) whatever frames it sent first.
func (r *rawPeer) closedByNode() bool {
	_, err := io.Copy(io.Discard, r.nc)
	return err == nil || !errors.Is(err, os.ErrDeadlineExceeded)
}

// rawFrame builds a frame body with a custom length prefix.
func rawFrame(length uint32, body []byte) []byte {
	return append(binary.BigEndian.AppendUint32(nil, length), body...)
}

func TestBadInputClosesConnection(t *testing.T) {
	nets := cluster(t, 2, func(c *NetConfig) { c.MaxMessage = 1 << 20 })
	n := nets[0]
	req := encodeFrame(header{typ: ftRequest, id: 1, endpoint: "echo"}, []byte("x"))
	badEndpoint := encodeFrame(header{typ: ftRequest, id: 1, endpoint: "echo"}, nil)
	binary.BigEndian.PutUint16(badEndpoint[lenPrefix+16:], 500)
	more := header{typ: ftRequest, id: 9, flags: flagMore, endpoint: "echo"}
	frag := encodeFrame(more, make([]byte, 600<<10))
	cases := []struct {
		name      string
		preHello  bool // send before the hello exchange
		data      []byte
		halfClose bool
	}{
		{"garbage instead of hello", true, []byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), false},
		{"bad hello magic", true, encodeFrame(header{typ: ftHello}, []byte("NOTMAGIC12345678zz")), false},
		{"request before hello", true, req, false},
		{"hello claiming the node's own id", true, encodeHello(hello{id: "n1", incarnation: 1}), false},
		{"truncated hello", true, encodeHello(hello{id: "zz", incarnation: 1})[:10], true},
		{"oversize length", false, rawFrame(0xffffffff, nil), false},
		{"length below header", false, rawFrame(3, []byte{1, 2, 3}), false},
		{"endpoint past the body", false, badEndpoint, false},
		{"truncated frame", false, req[:len(req)-3], true},
		{"fragments over the message limit", false, append(frag, frag...), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := dialRaw(t, n)
			if !c.preHello {
				r.hello()
			}
			r.write(c.data)
			if c.halfClose {
				r.nc.(*net.TCPConn).CloseWrite()
			}
			if !r.closedByNode() {
				t.Fatal("node kept the connection open")
			}
		})
	}
	if _, err := call(nets[1], n.ID(), "echo", nil); err != nil {
		t.Errorf("node stopped serving after bad input: %v", err)
	}
}

func TestBadInputGetsErrorReply(t *testing.T) {
	nets := cluster(t, 1, nil)
	r := dialRaw(t, nets[0]).hello()
	cases := []struct {
		name   string
		frame  []byte
		wantSt status
	}{
		{"unknown frame type", encodeFrame(header{typ: 99, id: 7}, []byte("??")), statusBadFrame},
		{"second hello", encodeHello(hello{id: "zz", incarnation: 42}), statusBadFrame},
		{"unknown endpoint", encodeFrame(header{typ: ftRequest, id: 8, endpoint: "nope"}, nil), statusNoHandler},
		{"valid request still served", encodeFrame(header{typ: ftRequest, id: 9, endpoint: "echo"}, []byte("ok")), statusOK},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r.write(c.frame)
			h, p := r.read()
			if h.typ != ftReply || h.status != c.wantSt {
				t.Fatalf("got %v frame with status %d (%q), want reply with status %d", h.typ, h.status, p, c.wantSt)
			}
		})
	}
}

// TestRandomGarbage throws seeded random byte streams, some after a valid
// hello, at a node; it must survive and keep serving.
func TestRandomGarbage(t *testing.T) {
	nets := cluster(t, 2, nil)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 40 {
		r := dialRaw(t, nets[0])
		if i%2 == 1 {
			r.hello()
		}
		junk := make([]byte, 1+rng.IntN(4096))
		for j := range junk {
			junk[j] = byte(rng.Uint32())
		}
		r.nc.Write(junk)
		r.nc.Close()
	}
	if _, err := call(nets[1], nets[0].ID(), "echo", nil); err != nil {
		t.Errorf("node stopped serving after garbage: %v", err)
	}
}

// FuzzParseFrame checks that no input makes frame decoding panic and that
// whatever decodes re-encodes to the same bytes.
func FuzzParseFrame(f *testing.F) {
	f.Add(encodeFrame(header{typ: ftRequest, id: 3, endpoint: "ep"}, []byte("body"))[lenPrefix:])
	f.Add(encodeHello(hello{id: "n1", incarnation: 5})[lenPrefix:])
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, body []byte) {
		h, p, err := parseFrame(body)
		if err != nil {
			return
		}
		if got := encodeFrame(h, p)[lenPrefix:]; string(got) != string(body) {
			t.Fatalf("re-encoding changed the frame: %x vs %x", got, body)
		}
		if h.typ == ftHello {
			parseHello(h, p)
		}
	})
}

func TestTooManyPartialMessages(t *testing.T) {
	nets := cluster(t, 1, nil)
	r := dialRaw(t, nets[0]).hello()
	var b []byte
	for id := range uint64(maxPartials + 1) {
		b = append(b, encodeFrame(header{typ: ftRequest, flags: flagMore, id: id, endpoint: "echo"}, nil)...)
	}
	r.write(b)
	if !r.closedByNode() {
		t.Fatal("node kept a connection with unbounded fragment state open")
	}
}
