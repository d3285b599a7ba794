package garage

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/gogarage/garage/node/crdt"
)

// randEntry returns an entry of key k with a small random register, so
// that equal timestamps (ties) are frequent.
func randEntry(r *rand.Rand, k string) kvEntry {
	v := kvValue{Deleted: r.IntN(4) == 0}
	if !v.Deleted {
		v.Data = crdt.Bytes([]byte{byte(r.IntN(3))})
	}
	return kvEntry{Part: crdt.Bytes(k), Sort: crdt.Bytes(k + "/s"), Reg: crdt.NewLWW(uint64(r.IntN(3)), v)}
}

func encoded(e kvEntry) []byte { return e.Encode(nil) }

func TestKVEntryMergeLaws(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 5000 {
		a, b, c := randEntry(r, "k"), randEntry(r, "k"), randEntry(r, "k")
		checks := []struct {
			law       string
			got, want kvEntry
		}{
			{"commutative", a.Merge(b), b.Merge(a)},
			{"associative", a.Merge(b).Merge(c), a.Merge(b.Merge(c))},
			{"idempotent", a.Merge(a), a},
		}
		for _, ch := range checks {
			if !bytes.Equal(encoded(ch.got), encoded(ch.want)) {
				t.Fatalf("%s: got %+v, want %+v (a %+v b %+v c %+v)", ch.law, ch.got, ch.want, a, b, c)
			}
		}
	}
}

func TestKVEntryCodec(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for range 1000 {
		e := randEntry(r, string(rune('a'+r.IntN(26))))
		b := append(encoded(e), 0xff)
		got, rest, err := kvEntry{}.Decode(b)
		if err != nil || !bytes.Equal(encoded(got), encoded(e)) || !bytes.Equal(rest, []byte{0xff}) {
			t.Fatalf("round trip of %+v: got %+v rest %x, %v", e, got, rest, err)
		}
	}
	bad := [][]byte{nil, {0}, kvValue{Data: crdt.Bytes("x")}.Encode(nil)[:1]}
	tomb := kvValue{Deleted: true, Data: crdt.Bytes("x")}.Encode(nil)
	for _, b := range append(bad, []byte{2, 0}, tomb) {
		if _, _, err := (kvValue{}).Decode(b); err == nil {
			t.Errorf("decode %x: want an error", b)
		}
	}
}
