package sim

import (
	"context"
	"testing"
	"time"

	"github.com/gogarage/garage/node/rt"
)

func TestLockstepDeterministicSetupAgrees(t *testing.T) {
	div, err := Lockstep(3, func(w *World) { pingPong(w, 4, 500*time.Millisecond) })
	if err != nil {
		t.Fatal(err)
	}
	if div != nil {
		t.Errorf("deterministic scenario diverged: %v", div)
	}
}

// plantMapOrder adds a node whose boot task sleeps for a duration chosen by
// map iteration order: a planted nondeterminism.
func plantMapOrder(w *World) {
	pingPong(w, 3, 200*time.Millisecond)
	w.AddNode("rogue", "z1", func(env rt.Env) {
		env.Tasks.Spawn("map-order", func(ctx context.Context) {
			m := map[int]bool{}
			for i := range 64 {
				m[i] = true
			}
			for k := range m {
				_ = env.Clock.Sleep(ctx, time.Duration(k+1)*time.Millisecond)
				break
			}
		})
	})
}

// plantWallClock branches on the real clock.
func plantWallClock(w *World) {
	pingPong(w, 3, 200*time.Millisecond)
	w.Go("wall-clock", func(ctx context.Context) {
		for range 8 {
			d := time.Millisecond
			if time.Now().UnixNano()/1000%2 == 0 {
				d = 2 * time.Millisecond
			}
			_ = w.Sleep(ctx, d)
		}
	})
}

func TestLockstepNamesPlantedDivergence(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(*World)
	}{{"map-order", plantMapOrder}, {"wall-clock", plantWallClock}} {
		t.Run(tc.name, func(t *testing.T) {
			div := firstDivergence(t, tc.setup)
			if div == nil {
				t.Fatal("planted nondeterminism never detected in 20 lockstep runs")
			}
			if div.Step == 0 || div.A == nil || div.B == nil {
				t.Fatalf("incomplete divergence report: %+v", div)
			}
			if div.A.Hash == div.B.Hash {
				t.Errorf("divergence at equal hashes: %v", div)
			}
			t.Log(div)
		})
	}
}

// firstDivergence runs lockstep until the setup diverges (it may agree by
// chance) and returns the divergence, or nil.
func firstDivergence(t *testing.T, setup func(*World)) *Divergence {
	for try := range 20 {
		div, err := Lockstep(uint64(try), setup)
		if err != nil {
			t.Fatal(err)
		}
		if div != nil {
			return div
		}
	}
	return nil
}

// TestCloseTakesNoSteps checks that unwinding by Close leaves the step
// count and trace hash alone (lockstep compares runs up to their end).
func TestCloseTakesNoSteps(t *testing.T) {
	w := New(Config{Seed: 1})
	pingPong(w, 3, time.Second)
	must(t, w.RunFor(300*time.Millisecond))
	steps, hash := w.Steps(), w.TraceHash()
	w.Close()
	if w.Steps() != steps || w.TraceHash() != hash {
		t.Errorf("Close moved steps %d -> %d, hash %016x -> %016x", steps, w.Steps(), hash, w.TraceHash())
	}
}

// TestLockstepWithRunFor drives lockstep with a run that stops mid-way,
// leaving tasks for Close to unwind.
func TestLockstepWithRunFor(t *testing.T) {
	div, err := LockstepConfig(Config{Seed: 8}, func(w *World) error {
		pingPong(w, 3, time.Second)
		return w.RunFor(400 * time.Millisecond)
	})
	if err != nil || div != nil {
		t.Errorf("Lockstep = %v, %v; want agreement", div, err)
	}
}
