package model

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/gogarage/garage/node/crdt"
)

// gen draws a random value from small domains, so that equal ids,
// timestamps and values are frequent.
type gen[T any] func(r *rand.Rand) T

const lawRounds = 3000

// checkLaws returns the first violation of the CRDT laws by triples drawn
// from g: commutativity, associativity, idempotence, operands unchanged,
// canonical round trip (and strict prefixes rejected).
func checkLaws[T crdt.Mergeable[T]](seed uint64, g gen[T]) error {
	r := rand.New(rand.NewPCG(seed, 0x6d6f64656c))
	for i := range lawRounds {
		a, b, c := g(r), g(r), g(r)
		if err := checkTriple(a, b, c); err != nil {
			return fmt.Errorf("round %d: %w\na=%x\nb=%x\nc=%x", i, err, crdt.Marshal(a), crdt.Marshal(b), crdt.Marshal(c))
		}
	}
	return nil
}

func checkTriple[T crdt.Mergeable[T]](a, b, c T) error {
	ea, eb, ec := crdt.Marshal(a), crdt.Marshal(b), crdt.Marshal(c)
	if ab, ba := a.Merge(b), b.Merge(a); !crdt.Equal(ab, ba) {
		return fmt.Errorf("not commutative: a⊔b=%x b⊔a=%x", crdt.Marshal(ab), crdt.Marshal(ba))
	}
	if l, r := a.Merge(b).Merge(c), a.Merge(b.Merge(c)); !crdt.Equal(l, r) {
		return fmt.Errorf("not associative: (a⊔b)⊔c=%x a⊔(b⊔c)=%x", crdt.Marshal(l), crdt.Marshal(r))
	}
	if aa := a.Merge(a); !crdt.Equal(aa, a) {
		return fmt.Errorf("not idempotent: a⊔a=%x", crdt.Marshal(aa))
	}
	if !bytes.Equal(crdt.Marshal(a), ea) || !bytes.Equal(crdt.Marshal(b), eb) || !bytes.Equal(crdt.Marshal(c), ec) {
		return fmt.Errorf("merge modified an operand")
	}
	return roundTrip(a)
}

func roundTrip[T crdt.Value[T]](v T) error {
	enc := crdt.Marshal(v)
	got, err := crdt.Unmarshal[T](enc)
	if err != nil {
		return fmt.Errorf("decode %x: %w", enc, err)
	}
	if !bytes.Equal(crdt.Marshal(got), enc) {
		return fmt.Errorf("round trip %x gave %x", enc, crdt.Marshal(got))
	}
	for n := range len(enc) {
		if _, err := crdt.Unmarshal[T](enc[:n]); err == nil {
			return fmt.Errorf("prefix %x of %x decoded", enc[:n], enc)
		}
	}
	return nil
}

func runLaws[T crdt.Mergeable[T]](t *testing.T, name string, g gen[T]) {
	t.Run(name, func(t *testing.T) {
		if err := checkLaws(1, g); err != nil {
			t.Fatal(err)
		}
	})
}

func TestMergeLaws(t *testing.T) {
	runLaws(t, "Bucket", genBucket)
	runLaws(t, "BucketAlias", genAlias)
	runLaws(t, "Key", genKey)
	runLaws(t, "Object", genObject)
	runLaws(t, "VersionState", genState)
	runLaws(t, "Version", genVersion)
	runLaws(t, "BlockRef", genBlockRef)
	runLaws(t, "MPU", genMPU)
	runLaws(t, "Counter", genCounter)
}

// brokenObject merges versions without pruning the older ones from the
// right operand: the law check must catch it.
type brokenObject struct{ Object }

func (o brokenObject) Merge(x brokenObject) brokenObject {
	m := o.Object.Merge(x.Object)
	if len(x.Versions) > 0 && len(m.Versions) > 0 && x.Versions[0].cmp(m.Versions[0]) < 0 {
		m.Versions = append([]ObjectVersion{x.Versions[0]}, m.Versions...)
	}
	return brokenObject{m}
}

func (brokenObject) Decode(b []byte) (brokenObject, []byte, error) {
	o, rest, err := Object{}.Decode(b)
	return brokenObject{o}, rest, err
}

func TestLawCheckCatchesABrokenMerge(t *testing.T) {
	g := func(r *rand.Rand) brokenObject { return brokenObject{genObject(r)} }
	if err := checkLaws(1, g); err == nil {
		t.Fatal("the law check passed an object merge that does not prune")
	}
}

// abortWinsObject merges version states as Garage does, an abort
// overriding a completion: pruning then depends on the order of merges.
type abortWinsObject struct{ Object }

func (o abortWinsObject) Merge(x abortWinsObject) abortWinsObject {
	return abortWinsObject{o.mergeWith(x.Object, func(a, b VersionState) VersionState {
		if a.Kind == Aborted || b.Kind == Aborted {
			return VersionState{Kind: Aborted}
		}
		return a.Merge(b)
	})}
}

func (abortWinsObject) Decode(b []byte) (abortWinsObject, []byte, error) {
	o, rest, err := Object{}.Decode(b)
	return abortWinsObject{o}, rest, err
}

func TestAbortOverridingCompletionIsNotAssociative(t *testing.T) {
	g := func(r *rand.Rand) abortWinsObject { return abortWinsObject{genObject(r)} }
	if err := checkLaws(1, g); err == nil {
		t.Fatal("an object merge where aborts override completions passed the laws")
	}
}
