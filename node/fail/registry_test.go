package fail_test

import (
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/gogarage/garage/node/fail"
)

// countingSource is a seeded Source that counts its draws.
type countingSource struct {
	r     *rand.Rand
	draws int
}

func newSource(seed uint64) *countingSource {
	return &countingSource{r: rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))}
}

func (s *countingSource) Float64() float64 { s.draws++; return s.r.Float64() }

// fires evaluates name n times and returns the indices that fired.
func fires(r *fail.Registry, name string, n int) []int {
	var got []int
	for i := range n {
		if _, ok := r.Eval(name); ok {
			got = append(got, i)
		}
	}
	return got
}

func TestRegistrySameSeedSameFaults(t *testing.T) {
	run := func(seed uint64) []int {
		r := fail.NewRegistry(newSource(seed))
		if err := r.Arm(fail.BlockRead, fail.Spec{Prob: 0.2, Value: fail.Crash{}}); err != nil {
			t.Fatal(err)
		}
		return fires(r, fail.BlockRead, 500)
	}
	a, b := run(7), run(7)
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("seed 7 gave two fire sequences:\n%v\n%v", a, b)
	}
	if c := run(8); reflect.DeepEqual(a, c) {
		t.Fatalf("seeds 7 and 8 gave the same fire sequence %v", a)
	}
}

func TestRegistryCounts(t *testing.T) {
	tests := []struct {
		name string
		spec fail.Spec
		n    int
		want []int
	}{
		{"always", fail.Always("x"), 3, []int{0, 1, 2}},
		{"once", fail.Once("x"), 3, []int{0}},
		{"skip 2 count 2", fail.Spec{Prob: 1, Skip: 2, Count: 2, Value: "x"}, 6, []int{2, 3}},
		{"skip only", fail.Spec{Prob: 1, Skip: 4, Value: "x"}, 6, []int{4, 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := newSource(1)
			r := fail.NewRegistry(src)
			if err := r.Arm(fail.MerkleSync, tt.spec); err != nil {
				t.Fatal(err)
			}
			if got := fires(r, fail.MerkleSync, tt.n); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("fired at %v, want %v", got, tt.want)
			}
			if got := r.Hits(fail.MerkleSync); got != len(tt.want) {
				t.Errorf("Hits = %d, want %d", got, len(tt.want))
			}
			if src.draws != 0 {
				t.Errorf("Prob 1 drew %d random numbers, want 0", src.draws)
			}
		})
	}
}

func TestRegistryProbability(t *testing.T) {
	const n = 20000
	for _, p := range []float64{0.01, 0.3, 0.9} {
		r := fail.NewRegistry(newSource(42))
		if err := r.Arm(fail.RPCReplyBefore, fail.Spec{Prob: p, Value: "x"}); err != nil {
			t.Fatal(err)
		}
		got := float64(len(fires(r, fail.RPCReplyBefore, n))) / n
		sigma := math.Sqrt(p * (1 - p) / n)
		if math.Abs(got-p) > 5*sigma {
			t.Errorf("p=%v: fired a fraction %.4f, want within 5σ (%.4f)", p, got, 5*sigma)
		}
	}
}

func TestRegistryUnarmedDrawsNothing(t *testing.T) {
	src := newSource(3)
	r := fail.NewRegistry(src)
	if err := r.Arm(fail.LayoutApply, fail.Spec{Prob: 0.5, Value: "x"}); err != nil {
		t.Fatal(err)
	}
	for range 10 {
		r.Eval(fail.MetaCommitBefore)
	}
	if src.draws != 0 {
		t.Fatalf("evaluating an unarmed point drew %d numbers, want 0", src.draws)
	}
	fires(r, fail.LayoutApply, 10)
	if src.draws != 10 {
		t.Fatalf("10 evaluations of a p=0.5 point drew %d numbers, want 10", src.draws)
	}
}

func TestRegistryArmRejects(t *testing.T) {
	tests := []struct {
		name  string
		point string
		spec  fail.Spec
	}{
		{"empty name", "", fail.Always(nil)},
		{"zero prob", "p", fail.Spec{}},
		{"prob above one", "p", fail.Spec{Prob: 1.5}},
		{"negative skip", "p", fail.Spec{Prob: 1, Skip: -1}},
		{"negative count", "p", fail.Spec{Prob: 1, Count: -1}},
	}
	for _, tt := range tests {
		r := fail.NewRegistry(newSource(1))
		if err := r.Arm(tt.point, tt.spec); err == nil {
			t.Errorf("%s: Arm(%q, %+v) = nil, want an error", tt.name, tt.point, tt.spec)
		}
	}
}

func TestRegistryStats(t *testing.T) {
	r := fail.NewRegistry(newSource(1))
	for _, arm := range []struct {
		name string
		spec fail.Spec
	}{
		{fail.MetaCommitAfter, fail.Once("x")},
		{fail.BlockFsyncBefore, fail.Always("x")},
		{fail.GCDelete, fail.Always("x")},
	} {
		if err := r.Arm(arm.name, arm.spec); err != nil {
			t.Fatal(err)
		}
	}
	r.Disarm(fail.GCDelete)
	fires(r, fail.MetaCommitAfter, 3)
	fires(r, fail.BlockFsyncBefore, 2)
	fires(r, fail.TableSync, 4)
	got := r.Stats()
	want := []fail.Stat{
		{Name: fail.BlockFsyncBefore, Armed: true, Evals: 2, Hits: 2},
		{Name: fail.GCDelete},
		{Name: fail.MetaCommitAfter, Evals: 3, Hits: 1}, // exhausted
		{Name: fail.TableSync, Evals: 4},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Stats =\n%+v\nwant\n%+v", got, want)
	}
}

// TestRegistrySpecProperty checks, over many random specs, that a point
// never fires before Skip evaluations, never more than Count times, and
// every time once eligible when Prob is 1.
func TestRegistrySpecProperty(t *testing.T) {
	gen := rand.New(rand.NewPCG(11, 12))
	for i := range 500 {
		spec := fail.Spec{Prob: []float64{1, 0.5, 0.05}[gen.IntN(3)], Skip: gen.IntN(5), Count: gen.IntN(4), Value: i}
		r := fail.NewRegistry(newSource(uint64(i)))
		if err := r.Arm(fail.GCDelete, spec); err != nil {
			t.Fatal(err)
		}
		const n = 40
		got := fires(r, fail.GCDelete, n)
		if len(got) > 0 && got[0] < spec.Skip {
			t.Fatalf("%+v: fired at %d, before skip", spec, got[0])
		}
		if spec.Count > 0 && len(got) > spec.Count {
			t.Fatalf("%+v: fired %d times, over count", spec, len(got))
		}
		want := n - spec.Skip
		if spec.Count > 0 {
			want = min(want, spec.Count)
		}
		if spec.Prob == 1 && len(got) != want {
			t.Fatalf("%+v: fired %d times, want %d", spec, len(got), want)
		}
	}
}
