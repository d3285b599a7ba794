package fail_test

import (
	"testing"

	"github.com/gogarage/garage/node/fail"
)

// BenchmarkRegistryEval measures one evaluation in the simulator's hot
// path: an unarmed point, and an armed one drawing a random number.
func BenchmarkRegistryEval(b *testing.B) {
	r := fail.NewRegistry(newSource(1))
	if err := r.Arm(fail.BlockRead, fail.Spec{Prob: 0.01, Value: "x"}); err != nil {
		b.Fatal(err)
	}
	b.Run("unarmed", func(b *testing.B) {
		for b.Loop() {
			r.Eval(fail.MetaCommitBefore)
		}
	})
	b.Run("armed", func(b *testing.B) {
		for b.Loop() {
			r.Eval(fail.BlockRead)
		}
	})
}

// BenchmarkLiveEval measures one real-mode evaluation of a point that is
// not enabled, the cost every failpoint site pays in a real daemon.
func BenchmarkLiveEval(b *testing.B) {
	l := fail.RealWithPrefix("bench/")
	for b.Loop() {
		l.Eval(fail.MetaCommitBefore)
	}
}
