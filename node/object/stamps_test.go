package object_test

import (
	"context"
	"testing"
	"time"

	"github.com/gogarage/garage/node/model"
	"github.com/gogarage/garage/node/object"
)

// TestWritesStayMonotonicUnderSkew writes a key through a node whose
// clock runs 10 s ahead, then through one with a correct clock. The
// second write must win (it began after the first returned), which costs
// it a redo: two round trips instead of one. Without the redo (the
// negative control) the older write wins.
func TestWritesStayMonotonicUnderSkew(t *testing.T) {
	for _, noRedo := range []bool{false, true} {
		rec := &recorder{}
		e := newEnv(t, opts{seed: 14, rtt: 100 * time.Millisecond, noRedo: noRedo, rec: rec})
		b := e.bucket("skew")
		e.w.Clock(e.c.IDs[0]).SetOffset(10 * time.Second)
		e.put(2, b, "k", []byte("first, clock behind")) // common case: one round trip
		first := e.put(0, b, "k", []byte("second, clock ahead"))
		t0 := e.w.Now()
		second := e.put(1, b, "k", []byte("third, clock right"))
		trips := roundTrips(rec.since(e.c.IDs[1], t0), 30*time.Millisecond)
		_, got, err := e.get(3, b, "k", object.GetOptions{})
		e.must(err)
		var del object.ObjectInfo
		t1 := e.w.Now()
		e.must(e.do(0, func(ctx context.Context, s *object.Service) (err error) { del, err = s.Delete(ctx, b, "k"); return err }))
		delTrips := roundTrips(rec.since(e.c.IDs[0], t1), 30*time.Millisecond)
		switch {
		case !noRedo && (second.TS <= first.TS || string(got) != "third, clock right" || trips != 2):
			t.Errorf("with redo: timestamps %d then %d, read %q after %d round trips; want increasing, the third, 2",
				first.TS, second.TS, got, trips)
		case noRedo && (second.TS > first.TS || string(got) != "second, clock ahead" || trips != 1):
			t.Errorf("negative control: timestamps %d then %d, read %q after %d round trips; want the older write to win in 1",
				first.TS, second.TS, got, trips)
		case delTrips != 1:
			t.Errorf("delete through the node ahead: %d round trips, want 1", delTrips)
		case !noRedo && del.TS <= second.TS:
			t.Errorf("delete stamped %d after a write stamped %d", del.TS, second.TS)
		}
		e.w.Close()
	}
}

// TestSmallWritesTakeOneRoundTrip checks the common case of issue 10: a
// small put, a delete and a list page cost one quorum round trip, and a
// get of an inline object one.
func TestSmallWritesTakeOneRoundTrip(t *testing.T) {
	rec := &recorder{}
	e := newEnv(t, opts{seed: 15, rtt: 100 * time.Millisecond, rec: rec})
	b := e.bucket("fast")
	e.put(1, b, "warm", []byte("x"))
	ops := []struct {
		name string
		fn   func(ctx context.Context, s *object.Service) error
	}{
		{"put", func(ctx context.Context, s *object.Service) error {
			_, err := s.Put(ctx, b, "k", bytesOf([]byte("small")), model.Meta{})
			return err
		}},
		{"get", func(ctx context.Context, s *object.Service) error {
			_, err := s.Get(ctx, b, "k", object.GetOptions{})
			return err
		}},
		{"head", func(ctx context.Context, s *object.Service) error {
			_, err := s.Head(ctx, b, "k", object.GetOptions{})
			return err
		}},
		{"list", func(ctx context.Context, s *object.Service) error {
			_, err := s.List(ctx, b, object.ListOptions{MaxKeys: -1})
			return err
		}},
		{"delete", func(ctx context.Context, s *object.Service) error {
			_, err := s.Delete(ctx, b, "k")
			return err
		}},
	}
	for _, op := range ops {
		for i := range e.c.IDs {
			t0 := e.w.Now()
			e.must(e.do(i, op.fn))
			if n := roundTrips(rec.since(e.c.IDs[i], t0), 30*time.Millisecond); n != 1 {
				t.Errorf("%s through node %d: %d round trips, want 1", op.name, i, n)
			}
			e.must(e.w.RunFor(time.Second))
		}
	}
}
