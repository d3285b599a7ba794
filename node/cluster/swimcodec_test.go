package cluster

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/gogarage/garage/node/rt"
)

// randStr returns an address or id, sometimes empty, sometimes with a
// character encoding/json escapes or a byte that is not ASCII.
func randStr(r *rand.Rand) string {
	const plainChars = "abcdef0123456789:.[]-_/ "
	const odd = "\"\\<>&\n\x7f\xc3\xa9\xff\u2028"
	n := r.IntN(14)
	b := make([]byte, 0, n)
	for range n {
		if r.IntN(40) == 0 {
			b = append(b, odd[r.IntN(len(odd))])
		} else {
			b = append(b, plainChars[r.IntN(len(plainChars))])
		}
	}
	return string(b)
}

func randNum(r *rand.Rand) uint64 {
	switch r.IntN(4) {
	case 0:
		return 0
	case 1:
		return r.Uint64()
	default:
		return uint64(r.IntN(1000))
	}
}

func randLive(r *rand.Rand) Liveness {
	return Liveness{Inc: randNum(r), State: MemberState(r.IntN(256))}
}

func randMsg(r *rand.Rand) swimMsg {
	m := swimMsg{Inc: randNum(r), Addr: randStr(r)}
	for i := range m.Layout {
		m.Layout[i] = byte(r.Uint32())
	}
	if r.IntN(2) == 0 {
		l := randLive(r)
		m.You = &l
	}
	switch r.IntN(4) {
	case 0:
		m.Updates = []update{}
	case 1:
		for range 1 + r.IntN(4) {
			m.Updates = append(m.Updates, update{ID: rt.NodeID(randStr(r)), Addr: randStr(r), Live: randLive(r)})
		}
	}
	return m
}

func randMessage(r *rand.Rand) any {
	switch r.IntN(4) {
	case 0:
		return randMsg(r)
	case 1:
		return pingReq{Target: rt.NodeID(randStr(r)), Msg: randMsg(r)}
	case 2:
		sr := statusReq{Msg: randMsg(r)}
		sr.Sum = randMsg(r).Layout
		return sr
	default:
		rep := statusRep{Msg: randMsg(r), Same: r.IntN(2) == 0}
		switch r.IntN(3) {
		case 0:
			rep.Stamps = []stamp{}
		case 1:
			for range 1 + r.IntN(5) {
				rep.Stamps = append(rep.Stamps, stamp{ID: rt.NodeID(randStr(r)), Ver: randNum(r), Live: randLive(r)})
			}
		}
		return rep
	}
}

// decodeAs decodes b into a new value of v's type both ways: with decode
// (fast path first) and with encoding/json alone.
func decodeAs(t *testing.T, v any, b []byte) (fast any, fastErr error, slow any, slowErr error) {
	t.Helper()
	switch v.(type) {
	case swimMsg:
		return decodeBoth[swimMsg](b)
	case pingReq:
		return decodeBoth[pingReq](b)
	case statusReq:
		return decodeBoth[statusReq](b)
	case statusRep:
		return decodeBoth[statusRep](b)
	}
	t.Fatalf("no codec for %T", v)
	return
}

func decodeBoth[T any](b []byte) (fast any, fastErr error, slow any, slowErr error) {
	f, fe := decode[T](b)
	var s T
	se := json.Unmarshal(b, &s)
	return f, fe, s, se
}

// sameDecoding fails unless decode and encoding/json agree on b: both
// fail, or both give equal values.
func sameDecoding(t *testing.T, v any, b []byte) {
	t.Helper()
	f, fe, s, se := decodeAs(t, v, b)
	if (fe != nil) != (se != nil) {
		t.Fatalf("%q: decode error %v, encoding/json error %v", b, fe, se)
	}
	if se == nil && !reflect.DeepEqual(f, s) {
		t.Fatalf("%q:\n decode        %+v\n encoding/json %+v", b, f, s)
	}
}

// TestFastCodecIsEncodingJSON checks the hand-written codec against
// encoding/json: the same bytes for random messages (plain strings or
// not), the same values back, and the same values or the same failure for
// mutated encodings.
func TestFastCodecIsEncodingJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	fast := 0
	for i := range 20000 {
		v := randMessage(r)
		want, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		got := encode(v)
		if !bytes.Equal(got, want) {
			t.Fatalf("message %d %+v:\n encode        %s\n encoding/json %s", i, v, got, want)
		}
		if _, ok := encodeFast(v); ok {
			fast++
		}
		sameDecoding(t, v, want)
		// Mutations: a byte changed, a byte dropped, a byte inserted, cut short.
		for range 4 {
			m := bytes.Clone(want)
			switch j := r.IntN(len(m)); r.IntN(4) {
			case 0:
				m[j] = "0 9a\"{}[],:-.e\\x"[r.IntN(16)]
			case 1:
				m = append(m[:j], m[j+1:]...)
			case 2:
				m = append(m[:j], append([]byte{"0 1\"}],:"[r.IntN(8)]}, m[j:]...)...)
			case 3:
				m = m[:j]
			}
			sameDecoding(t, v, m)
		}
	}
	// The hand-written path must be the one most messages take.
	if fast < 20000/2 {
		t.Fatalf("only %d of 20000 messages took the hand-written path", fast)
	}
}

// TestFastDecodeTakesCanonical checks that canonical messages are read by
// the hand-written path, not by the fallback (which would hide a decoder
// that never succeeds).
func TestFastDecodeTakesCanonical(t *testing.T) {
	l := Liveness{Inc: 7, State: StateSuspect}
	m := swimMsg{Inc: 3, Addr: "10.0.0.1:3901", You: &l, Updates: []update{{ID: "n1", Addr: "a:1", Live: l}, {ID: "n2", Live: l}}}
	m.Layout[0], m.Layout[31] = 0xab, 0x01
	for _, v := range []any{m, pingReq{Target: "n3", Msg: m}, statusReq{Msg: m, Sum: m.Layout},
		statusRep{Msg: m, Same: true}, statusRep{Msg: swimMsg{Inc: 1}, Stamps: []stamp{{ID: "n1", Ver: 4, Live: l}, {ID: "n2", Live: l}}}} {
		b, ok := encodeFast(v)
		if !ok {
			t.Fatalf("%+v: not on the hand-written path", v)
		}
		p := reflect.New(reflect.TypeOf(v))
		if !decodeFast(b, p.Interface()) {
			t.Fatalf("%s: the hand-written decoder refused its own encoding", b)
		}
		if got := p.Elem().Interface(); !reflect.DeepEqual(got, v) {
			t.Fatalf("%s: decoded %+v, want %+v", b, got, v)
		}
	}
}

// FuzzFastDecode feeds arbitrary bytes to both decoders.
func FuzzFastDecode(f *testing.F) {
	f.Add([]byte(`{"inc":1,"layout":"00"}`))
	f.Add(encode(swimMsg{Inc: 2, Addr: "x", Updates: []update{{ID: "a"}}}))
	f.Add(encode(statusRep{Msg: swimMsg{Inc: 1}, Stamps: []stamp{{ID: "n1", Ver: 4}}}))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, v := range []any{swimMsg{}, pingReq{}, statusReq{}, statusRep{}} {
			sameDecoding(t, v, b)
		}
	})
}
