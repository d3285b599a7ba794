package crdt

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"
)

// gen draws a random value; generators use small domains so that equal
// timestamps, equal keys and equal values are frequent.
type gen[T any] func(r *rand.Rand) T

// lawRounds is the number of random triples each law check draws.
const lawRounds = 2000

// checkLaws draws triples from g and returns the first violation of the
// CRDT laws (commutativity, associativity, idempotence, inputs unchanged,
// encoding round trip), or nil.
func checkLaws[T Mergeable[T]](seed uint64, rounds int, g gen[T]) error {
	r := rand.New(rand.NewPCG(seed, 0x6c617773))
	for i := range rounds {
		a, b, c := g(r), g(r), g(r)
		if err := checkTriple(a, b, c); err != nil {
			return fmt.Errorf("round %d (a=%x b=%x c=%x): %w", i, Marshal(a), Marshal(b), Marshal(c), err)
		}
	}
	return nil
}

func checkTriple[T Mergeable[T]](a, b, c T) error {
	ea, eb, ec := Marshal(a), Marshal(b), Marshal(c)
	if ab, ba := a.Merge(b), b.Merge(a); !Equal(ab, ba) {
		return fmt.Errorf("not commutative: a⊔b=%x, b⊔a=%x", Marshal(ab), Marshal(ba))
	}
	if l, r := a.Merge(b).Merge(c), a.Merge(b.Merge(c)); !Equal(l, r) {
		return fmt.Errorf("not associative: (a⊔b)⊔c=%x, a⊔(b⊔c)=%x", Marshal(l), Marshal(r))
	}
	if aa := a.Merge(a); !Equal(aa, a) {
		return fmt.Errorf("not idempotent: a⊔a=%x", Marshal(aa))
	}
	if !bytes.Equal(Marshal(a), ea) || !bytes.Equal(Marshal(b), eb) || !bytes.Equal(Marshal(c), ec) {
		return fmt.Errorf("merge modified an operand")
	}
	return checkRoundTrip(a)
}

// checkRoundTrip decodes the encoding of v, and every strict prefix of it,
// which must fail.
func checkRoundTrip[T Value[T]](v T) error {
	enc := Marshal(v)
	got, err := Unmarshal[T](enc)
	if err != nil {
		return fmt.Errorf("decode %x: %w", enc, err)
	}
	if !bytes.Equal(Marshal(got), enc) {
		return fmt.Errorf("round trip %x gave %x", enc, Marshal(got))
	}
	for n := range len(enc) {
		if _, err := Unmarshal[T](enc[:n]); err == nil {
			return fmt.Errorf("prefix %x of %x decoded without error", enc[:n], enc)
		}
	}
	return nil
}

func runLaws[T Mergeable[T]](t *testing.T, name string, g gen[T]) {
	t.Run(name, func(t *testing.T) {
		if err := checkLaws(1, lawRounds, g); err != nil {
			t.Fatal(err)
		}
	})
}

func TestMergeLaws(t *testing.T) {
	runLaws(t, "Bool", genBool)
	runLaws(t, "Max[Uint64]", genMaxU64)
	runLaws(t, "Max[String]", genMaxString)
	runLaws(t, "LWW[String]", genLWWString)
	runLaws(t, "LWW[Uint64]", genLWW(genU64))
	runLaws(t, "LWW[Bytes]", genLWW(genBytes))
	runLaws(t, "LWW[Map[String,Bool]]", genLWW(genMap(genKey, genBool)))
	runLaws(t, "Deletable[Bool]", genDeletable(genBool))
	runLaws(t, "Deletable[LWW[String]]", genDeletable(genLWWString))
	runLaws(t, "LWWMap[String,String]", genLWWMap(genKey, genString))
	runLaws(t, "LWWMap[Uint64,Bool]", genLWWMap(genU64, genBool))
	runLaws(t, "Map[String,Bool]", genMap(genKey, genBool))
	runLaws(t, "Map[String,LWW[String]]", genMap(genKey, genLWWString))
	runLaws(t, "Map[String,Deletable[LWWMap[String,Uint64]]]",
		genMap(genKey, genDeletable(genLWWMap(genKey, genU64))))
	runLaws(t, "Map[Uint64,Map[String,Max[Uint64]]]", genMap(genU64, genMap(genKey, genMaxU64)))
	runLaws(t, "Deletable[Map[String,Deletable[Bool]]]", genDeletable(genMap(genKey, genDeletable(genBool))))
}

// naiveLWW breaks ties in favour of the receiver: the bug the tie-break
// rule exists to prevent. The law checker must catch it.
type naiveLWW struct{ LWW[String] }

func (n naiveLWW) Merge(o naiveLWW) naiveLWW {
	if o.ts > n.ts {
		return o
	}
	return n
}

func (naiveLWW) Decode(b []byte) (naiveLWW, []byte, error) {
	r, rest, err := LWW[String]{}.Decode(b)
	return naiveLWW{r}, rest, err
}

// leakyMap merges by keeping the receiver's value for common keys.
type leakyMap struct{ Map[String, Bool] }

func (m leakyMap) Merge(o leakyMap) leakyMap {
	return leakyMap{Map[String, Bool]{es: mergeEntries(m.es, o.es, func(x, _ Bool) Bool { return x })}}
}

func (leakyMap) Decode(b []byte) (leakyMap, []byte, error) {
	m, rest, err := Map[String, Bool]{}.Decode(b)
	return leakyMap{m}, rest, err
}

func TestLawCheckerCatchesBrokenMerges(t *testing.T) {
	naive := func(r *rand.Rand) naiveLWW { return naiveLWW{genLWWString(r)} }
	if err := checkLaws(1, lawRounds, naive); err == nil {
		t.Error("law check passed an LWW without tie-break")
	}
	leaky := func(r *rand.Rand) leakyMap { return leakyMap{genMap(genKey, genBool)(r)} }
	if err := checkLaws(1, lawRounds, leaky); err == nil {
		t.Error("law check passed a map that ignores one side's values")
	}
}
