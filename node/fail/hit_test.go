package fail_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/gogarage/garage/node/fail"
	"github.com/gogarage/garage/node/rt"
)

// sleepClock is an rt.Clock that records sleeps instead of sleeping.
type sleepClock struct{ slept []time.Duration }

func (c *sleepClock) Now() time.Time      { return time.Unix(0, 0) }
func (c *sleepClock) Mono() time.Duration { return 0 }
func (c *sleepClock) Sleep(ctx context.Context, d time.Duration) error {
	c.slept = append(c.slept, d)
	return ctx.Err()
}

func TestApply(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		name      string
		v         any
		wantErr   error // checked with errors.Is; nil means no error
		wantSlept []time.Duration
	}{
		{"nil does nothing", nil, nil, nil},
		{"error is returned", boom, boom, nil},
		{"injected error", fail.Err("disk full"), fail.ErrInjected, nil},
		{"delay sleeps", fail.Delay(50 * time.Millisecond), nil, []time.Duration{50 * time.Millisecond}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &sleepClock{}
			err := fail.Apply(context.Background(), c, fail.BlockRead, tt.v)
			if !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
				t.Errorf("Apply(%v) = %v, want %v", tt.v, err, tt.wantErr)
			}
			if !reflect.DeepEqual(c.slept, tt.wantSlept) {
				t.Errorf("slept %v, want %v", c.slept, tt.wantSlept)
			}
		})
	}
}

func TestApplyMarkerIsFailpointError(t *testing.T) {
	err := fail.Apply(context.Background(), &sleepClock{}, fail.LayoutApply, 7)
	var fe *rt.FailpointError
	if !errors.As(err, &fe) || fe.Name != fail.LayoutApply || fe.Value != 7 {
		t.Fatalf("Apply(7) = %#v, want *rt.FailpointError{%s, 7}", err, fail.LayoutApply)
	}
}

func TestApplyDelayCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := fail.Apply(ctx, &sleepClock{}, fail.MerkleSync, fail.Delay(time.Second))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Apply(delay) on a done context = %v, want context.Canceled", err)
	}
}

func TestHitCrashPanics(t *testing.T) {
	r := fail.NewRegistry(newSource(1))
	if err := r.Arm(fail.MetaCommitBefore, fail.Once(fail.Crash{})); err != nil {
		t.Fatal(err)
	}
	defer func() {
		got := recover()
		if want := (fail.Crash{Point: fail.MetaCommitBefore}); got != want {
			t.Fatalf("recovered %#v, want %#v", got, want)
		}
	}()
	_ = fail.Hit(context.Background(), r, &sleepClock{}, fail.MetaCommitBefore)
	t.Fatal("Hit on a crash point returned")
}

func TestHitNilFaults(t *testing.T) {
	if err := fail.Hit(context.Background(), nil, &sleepClock{}, fail.BlockRead); err != nil {
		t.Fatalf("Hit with nil faults = %v, want nil", err)
	}
	if v, ok := fail.Eval(nil, fail.BlockRead); ok {
		t.Fatalf("Eval with nil faults fired %v", v)
	}
}

func TestDecode(t *testing.T) {
	tests := []struct {
		in   any
		want string // fmt %v of the decoded value
	}{
		{"crash", "crash at failpoint "},
		{"delay:20ms", "delay 20ms"},
		{"delay:soon", "delay:soon"},
		{"error:disk full", "injected fault: disk full"},
		{"x", "x"},
		{3, "3"},
		{true, "true"},
	}
	for _, tt := range tests {
		if got := fmt.Sprint(fail.Decode(tt.in)); got != tt.want {
			t.Errorf("Decode(%#v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPointsSortedUnique(t *testing.T) {
	ps := fail.Points()
	for i := 1; i < len(ps); i++ {
		if ps[i-1] >= ps[i] {
			t.Fatalf("Points not sorted and unique at %d: %q, %q", i, ps[i-1], ps[i])
		}
	}
	if len(ps) < 8 {
		t.Fatalf("Points has %d names, want at least the 8 of DESIGN.md §5", len(ps))
	}
}

func ExampleRegistry() {
	r := fail.NewRegistry(newSource(1))
	_ = r.Arm(fail.BlockFsyncBefore, fail.Spec{Prob: 1, Skip: 1, Count: 1, Value: fail.Err("no space")})
	for i := range 3 {
		v, fired := r.Eval(fail.BlockFsyncBefore)
		fmt.Println(i, fired, v)
	}
	fmt.Printf("%+v\n", r.Stats())
	// Output:
	// 0 false <nil>
	// 1 true injected fault: no space
	// 2 false <nil>
	// [{Name:block-fsync-before Armed:false Evals:3 Hits:1}]
}
