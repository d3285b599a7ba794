package host

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/gogarage/garage/node/rt"
)

// TestFrameRoundTrip is a property test: any header and payload survive
// encoding and decoding.
func TestFrameRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for i := range 2000 {
		ep := make([]byte, rng.IntN(40))
		payload := make([]byte, rng.IntN(300))
		for _, b := range [][]byte{ep, payload} {
			for j := range b {
				b[j] = byte(rng.Uint32())
			}
		}
		want := header{typ: frameType(rng.Uint32()), flags: uint8(rng.Uint32()),
			prio: rt.Priority(rng.Uint32()), status: status(rng.Uint32()),
			id: rng.Uint64(), budget: rng.Uint32(), endpoint: string(ep)}
		h, p, err := readFrame(bytes.NewReader(encodeFrame(want, payload)), 1<<20)
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		if h != want || !bytes.Equal(p, payload) {
			t.Fatalf("case %d: got %+v %x, want %+v %x", i, h, p, want, payload)
		}
	}
}

func TestReadFrameRejects(t *testing.T) {
	ok := encodeFrame(header{typ: ftRequest, endpoint: "abc"}, []byte("payload"))
	cases := []struct {
		name string
		in   []byte
		max  int
		want error // errFrameSize, errFrameForm, or nil for a plain I/O error
	}{
		{"over max", ok, len(ok) - lenPrefix - 1, errFrameSize},
		{"huge length", rawFrame(1<<31, nil), 1 << 20, errFrameSize},
		{"below header", rawFrame(headerLen-1, make([]byte, headerLen-1)), 1 << 20, errFrameSize},
		{"endpoint too long", patch(ok, lenPrefix+16, 0xff, 0xff), 1 << 20, errFrameForm},
		{"endpoint past end", patch(ok, lenPrefix+17, 200), 1 << 20, errFrameForm},
		{"truncated body", ok[:len(ok)-1], 1 << 20, nil},
		{"truncated prefix", ok[:2], 1 << 20, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := readFrame(bytes.NewReader(c.in), c.max)
			if err == nil {
				t.Fatal("got no error")
			}
			if c.want != nil && !errors.Is(err, c.want) {
				t.Fatalf("got %v, want %v", err, c.want)
			}
		})
	}
}

func patch(b []byte, off int, v ...byte) []byte {
	b = bytes.Clone(b)
	copy(b[off:], v)
	return b
}

func TestHello(t *testing.T) {
	want := hello{id: "f00dface", incarnation: 99}
	h, p, err := readFrame(bytes.NewReader(encodeHello(want)), helloMax)
	if err != nil {
		t.Fatal(err)
	}
	got, err := parseHello(h, p)
	if err != nil || got != want {
		t.Fatalf("got %+v, %v; want %+v", got, err, want)
	}
	bad := []struct {
		name    string
		h       header
		payload []byte
	}{
		{"not a hello", header{typ: ftRequest}, p},
		{"bad magic", header{typ: ftHello}, append([]byte("XXXXXXXX"), p[8:]...)},
		{"empty id", header{typ: ftHello}, p[:len(helloMagic)+8]},
	}
	for _, c := range bad {
		if _, err := parseHello(c.h, c.payload); !errors.Is(err, errFrameForm) {
			t.Errorf("%s: got %v, want errFrameForm", c.name, err)
		}
	}
}

// TestQueueOrder drains a queue the way the writer does and checks that a
// high-priority message overtakes large background ones after at most one
// chunk, and that same-class messages share the link round-robin.
func TestQueueOrder(t *testing.T) {
	q := newSendQueue()
	q.push(&outMsg{h: header{id: 1, prio: rt.PrioBackground}, payload: make([]byte, 30)})
	q.push(&outMsg{h: header{id: 2, prio: rt.PrioBackground}, payload: make([]byte, 20)})
	var got []uint64
	for i := 0; ; i++ {
		if i == 1 {
			q.push(&outMsg{h: header{id: 3, prio: rt.PrioHigh}, payload: make([]byte, 5)})
			q.push(&outMsg{h: header{id: 4, prio: rt.PrioNormal}})
		}
		m := q.pop()
		if m == nil {
			break
		}
		h, _, done := nextChunk(m, 10)
		got = append(got, h.id)
		if (h.flags&flagMore == 0) != done {
			t.Fatalf("chunk of %d: flagMore %v but done %v", h.id, h.flags&flagMore != 0, done)
		}
		if !done {
			q.push(m)
		}
	}
	want := []uint64{1, 3, 4, 2, 1, 2, 1}
	if !slices.Equal(got, want) {
		t.Errorf("write order %v, want %v", got, want)
	}
}
