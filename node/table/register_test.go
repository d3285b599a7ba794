package table

import (
	"math/rand/v2"
	"testing"
)

func randRegister(r *rand.Rand) Register {
	reg := Register{TS: uint64(r.IntN(4))}
	switch r.IntN(3) {
	case 0:
		reg.Deleted = true
	case 1:
		reg.Value = []byte{byte(r.IntN(3))}
	}
	return reg
}

func same(a, b Register) bool { return !a.Newer(b) && !b.Newer(a) }

func TestMergeLaws(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		a, b, c := randRegister(r), randRegister(r), randRegister(r)
		if !same(Merge(a, b), Merge(b, a)) {
			t.Fatalf("not commutative: %+v %+v", a, b)
		}
		if !same(Merge(Merge(a, b), c), Merge(a, Merge(b, c))) {
			t.Fatalf("not associative: %+v %+v %+v", a, b, c)
		}
		if !same(Merge(a, a), a) {
			t.Fatalf("not idempotent: %+v", a)
		}
	}
}

func TestNextTimestamp(t *testing.T) {
	for _, tc := range []struct{ now, newest, want uint64 }{
		{100, 0, 100}, {100, 99, 100}, {100, 100, 101}, {100, 500, 501},
	} {
		if got := NextTimestamp(tc.now, tc.newest); got != tc.want {
			t.Errorf("NextTimestamp(%d, %d) = %d, want %d", tc.now, tc.newest, got, tc.want)
		}
	}
}

func TestRegisterEncoding(t *testing.T) {
	for _, r := range []Register{{}, {TS: 7, Value: []byte{}}, {TS: 1 << 40, Value: []byte("hello")}, {TS: 3, Deleted: true}} {
		got, err := DecodeRegister(r.Encode(nil))
		if err != nil || !same(got, r) || (got.Value == nil) != (r.Value == nil) {
			t.Errorf("round trip %+v: got %+v, %v", r, got, err)
		}
	}
	for _, bad := range [][]byte{nil, {1, 2, 3}, append(make([]byte, 8), 0xf0)} {
		if _, err := DecodeRegister(bad); err == nil {
			t.Errorf("DecodeRegister(%x) accepted corrupt input", bad)
		}
	}
	if _, _, err := decodePut([]byte{0xff}); err == nil {
		t.Error("decodePut accepted a truncated key length")
	}
}

func TestQuorums(t *testing.T) {
	for _, tc := range []struct {
		m      Mode
		rf     int
		wr, ww int
	}{
		{Consistent, 3, 2, 2}, {Consistent, 1, 1, 1}, {Consistent, 5, 3, 3}, {Consistent, 2, 1, 2},
		{Degraded, 3, 1, 2}, {Dangerous, 3, 1, 1},
	} {
		r, w := tc.m.Quorums(tc.rf)
		if r != tc.wr || w != tc.ww {
			t.Errorf("%v rf=%d: got R=%d W=%d, want R=%d W=%d", tc.m, tc.rf, r, w, tc.wr, tc.ww)
		}
	}
}

func TestRingDeterministicAndDistinct(t *testing.T) {
	ring := &Ring{Nodes: NodeIDs{"n1", "n2", "n3", "n4", "n5"}.ids(), RF: 3}
	counts := map[string]int{}
	for i := range 1000 {
		key := []byte{byte(i), byte(i >> 8)}
		a, b := ring.ReadNodes(key), ring.ReadNodes(key)
		if len(a) != 3 || a[0] == a[1] || a[1] == a[2] || a[0] == a[2] {
			t.Fatalf("replicas of %x: %v", key, a)
		}
		for j := range a {
			if a[j] != b[j] {
				t.Fatalf("nondeterministic replicas: %v vs %v", a, b)
			}
			counts[string(a[j])]++
		}
	}
	for id, c := range counts {
		if c < 450 || c > 750 { // expected 600 each
			t.Errorf("node %s holds %d of 3000 replicas: unbalanced", id, c)
		}
	}
}
