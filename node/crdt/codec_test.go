package crdt

import (
	"bytes"
	"encoding/hex"
	"errors"
	"math/rand/v2"
	"testing"
)

func TestEncodingGolden(t *testing.T) {
	lm := LWWMap[String, Bool]{}.Put("a", NewLWW[Bool](1, true)).Put("b", NewLWW[Bool](2, false))
	cases := []struct {
		name string
		got  []byte
		want string
	}{
		{"String", Marshal(String("hé")), "03 68 c3 a9"},
		{"empty String", Marshal(String("")), "00"},
		{"Bytes", Marshal(Bytes{0, 0xff}), "02 00 ff"},
		{"Uint64", Marshal(Uint64(258)), "00 00 00 00 00 00 01 02"},
		{"Bool", Marshal(Bool(true)), "01"},
		{"Max", Marshal(Max[Uint64]{7}), "00 00 00 00 00 00 00 07"},
		{"LWW", Marshal(NewLWW[String](0x0102, "x")), "00 00 00 00 00 00 01 02 01 78"},
		{"Deleted", Marshal(Deleted[Bool]()), "00"},
		{"Present", Marshal(Present[Bool](true)), "01 01"},
		{"empty Map", Marshal(Map[String, Bool]{}), "00"},
		{"Map", Marshal(Map[String, Bool]{}.Put("b", true).Put("a", false)), "02 01 61 00 01 62 01"},
		{"LWWMap", Marshal(lm), "02 01 61 00 00 00 00 00 00 00 01 01 01 62 00 00 00 00 00 00 00 02 00"},
	}
	for _, c := range cases {
		want, err := hex.DecodeString(removeSpaces(c.want))
		if err != nil {
			t.Fatalf("%s: bad golden: %v", c.name, err)
		}
		if !bytes.Equal(c.got, want) {
			t.Errorf("%s: encoding = % x, want %s", c.name, c.got, c.want)
		}
	}
}

func removeSpaces(s string) string { return string(bytes.ReplaceAll([]byte(s), []byte(" "), nil)) }

func TestDecodeRejectsMalformed(t *testing.T) {
	cases := []struct {
		name string
		in   string
		dec  func([]byte) error
	}{
		{"non-minimal varint", "80 00", decodeAs[String]},
		{"length past end", "05 61", decodeAs[String]},
		{"huge length", "ff ff ff ff ff ff ff ff ff 01", decodeAs[String]},
		{"varint overflow", "ff ff ff ff ff ff ff ff ff ff 01", decodeAs[String]},
		{"short uint64", "00 01", decodeAs[Uint64]},
		{"bool 2", "02", decodeAs[Bool]},
		{"empty bool", "", decodeAs[Bool]},
		{"deletable tag 2", "02", decodeAs[Deletable[Bool]]},
		{"deleted with payload", "00 01", decodeAs[Deletable[Bool]]},
		{"trailing byte", "01 61 00", decodeAs[String]},
		{"map keys out of order", "02 01 62 00 01 61 01", decodeAs[Map[String, Bool]]},
		{"map duplicate key", "02 01 61 00 01 61 01", decodeAs[Map[String, Bool]]},
		{"map count too big", "03 01 61 00", decodeAs[Map[String, Bool]]},
		{"map huge count", "ff ff ff ff 0f", decodeAs[Map[String, Bool]]},
		{"lww map bad value", "01 01 61 00 00 00 00 00 00 00 01 07", decodeAs[LWWMap[String, Bool]]},
	}
	for _, c := range cases {
		in, err := hex.DecodeString(removeSpaces(c.in))
		if err != nil {
			t.Fatalf("%s: bad input: %v", c.name, err)
		}
		if err := c.dec(in); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: decode error = %v, want ErrMalformed", c.name, err)
		}
	}
}

func decodeAs[T Value[T]](b []byte) error {
	_, err := Unmarshal[T](b)
	return err
}

// TestDecodeIsCanonical feeds random bytes to the decoders: whatever
// decodes must re-encode to exactly the input.
func TestDecodeIsCanonical(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	checks := []func([]byte) error{
		canonical[String], canonical[Bool], canonical[Deletable[Bool]],
		canonical[LWW[String]], canonical[Map[String, Bool]],
		canonical[LWWMap[String, Deletable[Bool]]], canonical[Map[Uint64, Max[Uint64]]],
	}
	alphabet := []byte{0, 1, 2, 0x61, 0x62, 0x80, 0xff}
	for range 20000 {
		in := make([]byte, r.IntN(24))
		for i := range in {
			in[i] = alphabet[r.IntN(len(alphabet))]
		}
		for _, check := range checks {
			if err := check(in); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func canonical[T Value[T]](in []byte) error {
	v, err := Unmarshal[T](in)
	if err != nil {
		return nil
	}
	if out := Marshal(v); !bytes.Equal(out, in) {
		return errors.New("decoded " + hex.EncodeToString(in) + " re-encodes as " + hex.EncodeToString(out))
	}
	return nil
}

func FuzzMapDecode(f *testing.F) {
	f.Add(Marshal(Map[String, Deletable[LWW[String]]]{}.Put("k", Present(NewLWW[String](3, "v")))))
	f.Add([]byte{0x02, 0x01, 0x61, 0x00, 0x01, 0x62, 0x01})
	f.Fuzz(func(t *testing.T, in []byte) {
		if err := canonical[Map[String, Deletable[LWW[String]]]](in); err != nil {
			t.Fatal(err)
		}
	})
}

// TestUnmarshalSharesNoMemory checks that a decoded value owns its bytes:
// changing the input afterwards, or appending to one decoded byte string,
// changes nothing else (Bytes.Decode aliases its input; Unmarshal copies
// the input first and cuts each alias's capacity).
func TestUnmarshalSharesNoMemory(t *testing.T) {
	type pair = LWW[Bytes]
	in := Marshal(NewLWW(7, Bytes("abc")))
	v, err := Unmarshal[pair](in)
	if err != nil {
		t.Fatal(err)
	}
	for i := range in {
		in[i] = 0xff
	}
	if string(v.Value()) != "abc" {
		t.Fatalf("value changed with its input: %q", v.Value())
	}

	m := Map[String, pair]{}.Put("a", NewLWW(1, Bytes("xy"))).Put("b", NewLWW(1, Bytes("zw")))
	got, err := Unmarshal[Map[String, pair]](Marshal(m))
	if err != nil {
		t.Fatal(err)
	}
	a, _ := got.Get("a")
	_ = append(a.Value(), "!!!!!!!!!!!!!!!!"...)
	if b, _ := got.Get("b"); string(b.Value()) != "zw" {
		t.Fatalf("appending to one decoded field overwrote the next: %q", b.Value())
	}
	if empty, err := Unmarshal[Bytes](Marshal(Bytes{})); err != nil || empty != nil {
		t.Fatalf("empty bytes decode to %#v, %v; want nil", empty, err)
	}
}
