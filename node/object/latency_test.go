package object_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/gogarage/garage/node/block"
	"github.com/gogarage/garage/node/model"
	"github.com/gogarage/garage/node/object"
)

// figure is the measurements of one operation.
type figure struct {
	name          string
	n             int
	total, lo, hi time.Duration
	trips, calls  int
}

func (f *figure) add(d time.Duration, trips, calls int) {
	if f.n == 0 || d < f.lo {
		f.lo = d
	}
	f.hi = max(f.hi, d)
	f.n, f.total, f.trips, f.calls = f.n+1, f.total+d, f.trips+trips, f.calls+calls
}

func (f *figure) String() string {
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	return fmt.Sprintf("%-22s %4d %9.1f %9.1f %9.1f %7.2f %7.1f", f.name, f.n, ms(f.total/time.Duration(f.n)),
		ms(f.lo), ms(f.hi), float64(f.trips)/float64(f.n), float64(f.calls)/float64(f.n))
}

// TestLatencyFigures measures the object service as Garage's latency
// talk did: five nodes, 100 ms ± 20 ms round trips, one request at a
// time, entering through each node in turn. It prints, per operation,
// the mean, min and max latency in virtual time, the mean number of
// round trips (waves of RPCs the entry node sends, see roundTrips) and
// of RPCs. Run with -long:
//
//	go test ./node/object -run TestLatencyFigures -long -v
func TestLatencyFigures(t *testing.T) {
	if !*long {
		t.Skip("latency figures run with -long")
	}
	rec := &recorder{}
	e := newEnv(t, opts{seed: 100, rtt: 100 * time.Millisecond, jitter: 20 * time.Millisecond,
		blockSz: block.DefaultBlockSize, rec: rec})
	b := e.bucket("bench")
	small, mib, mib10 := data(1, 100), data(2, 1<<20), data(3, 10<<20)
	for i := range 100 {
		e.put(i%5, b, fmt.Sprintf("list/%03d", i), small)
	}
	e.put(0, b, "get-small", small)
	e.put(0, b, "get-mib", mib)
	samples := 100
	ops := []struct {
		name string
		n    int
		fn   func(i int) func(ctx context.Context, s *object.Service) error
	}{
		{"PutObject 100 B", samples, putOp(b, "small", small)},
		{"PutObject 1 MiB", 20, putOp(b, "mib", mib)},
		{"PutObject 10 MiB", 10, putOp(b, "mib10", mib10)},
		{"GetObject 100 B", samples, getOp(b, "get-small")},
		{"GetObject 1 MiB", 20, getOp(b, "get-mib")},
		{"HeadObject", samples, func(int) func(ctx context.Context, s *object.Service) error {
			return func(ctx context.Context, s *object.Service) error {
				_, err := s.Head(ctx, b, "get-small", object.GetOptions{})
				return err
			}
		}},
		{"DeleteObject", samples, func(i int) func(ctx context.Context, s *object.Service) error {
			return func(ctx context.Context, s *object.Service) error {
				_, err := s.Delete(ctx, b, fmt.Sprint("small-", i))
				return err
			}
		}},
		{"ListObjects (100 keys)", samples, func(int) func(ctx context.Context, s *object.Service) error {
			return func(ctx context.Context, s *object.Service) error {
				p, err := s.List(ctx, b, object.ListOptions{Prefix: "list/", MaxKeys: -1})
				if err == nil && len(p.Objects) != 100 {
					err = fmt.Errorf("listed %d objects", len(p.Objects))
				}
				return err
			}
		}},
		{"ListBuckets", samples, func(int) func(ctx context.Context, s *object.Service) error {
			return func(ctx context.Context, s *object.Service) error { _, err := s.ListBuckets(); return err }
		}},
	}
	var out strings.Builder
	fmt.Fprintf(&out, "%-22s %4s %9s %9s %9s %7s %7s\n", "operation", "n", "mean ms", "min ms", "max ms", "RTTs", "RPCs")
	for _, op := range ops {
		f := &figure{name: op.name}
		for i := range op.n {
			node := i % len(e.c.IDs)
			t0 := e.w.Now()
			e.must(e.do(node, op.fn(i)))
			took := e.w.Now() - t0
			calls := rec.since(e.c.IDs[node], t0)
			f.add(took, roundTrips(calls, 40*time.Millisecond), len(calls))
			e.must(e.w.RunFor(500 * time.Millisecond)) // let background work end
		}
		fmt.Fprintln(&out, f)
	}
	t.Logf("5 nodes, RF 3, 100 ms ± 20 ms RTT, unlimited bandwidth, 1 MiB blocks, entry node rotating:\n%s", out.String())
}

func putOp(b model.UUID, prefix string, d []byte) func(i int) func(ctx context.Context, s *object.Service) error {
	return func(i int) func(ctx context.Context, s *object.Service) error {
		return func(ctx context.Context, s *object.Service) error {
			_, err := s.Put(ctx, b, fmt.Sprint(prefix, "-", i), bytes.NewReader(d), model.Meta{})
			return err
		}
	}
}

func getOp(b model.UUID, key string) func(i int) func(ctx context.Context, s *object.Service) error {
	return func(int) func(ctx context.Context, s *object.Service) error {
		return func(ctx context.Context, s *object.Service) error {
			c, err := s.Get(ctx, b, key, object.GetOptions{})
			if err != nil {
				return err
			}
			_, err = io.Copy(io.Discard, c.Body)
			return err
		}
	}
}
