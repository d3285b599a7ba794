package variants

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/gogarage/garage/experiments/lab"
	"github.com/gogarage/garage/experiments/workload"
)

// The operations of the large-object measurement.
const (
	largePut = "PutObject 4MiB"
	largeGet = "GetObject 4MiB"
)

// largeResult is what the large objects cost one variant.
type largeResult struct {
	stats  []workload.Stats // largePut, largeGet
	stored int64            // bytes of block files on every node, per object
	wire   int64            // bytes on the simulated wire per object (put and get)
}

// measureLarge puts n large objects through node 0 and reads each back
// at once, then, once the last write had time to reach every replica,
// adds up the block files of every node.
func measureLarge(c *lab.SimCluster, n int) (largeResult, error) {
	var ops []workload.Op
	var runErr error
	var stored int64
	cl := c.Client(0)
	env := c.Env()
	wire0 := c.W.Network().Stats().Bytes
	err := c.Run(time.Duration(n+1)*2*largeTimeout, func(ctx context.Context) {
		for i := range n {
			key, body := fmt.Sprintf("large/%03d", i), logBody(i, largeSize)
			put := timed(ctx, env, largePut, func(ctx context.Context) error {
				_, err := cl.PutObject(ctx, c.Bucket(), key, body)
				return err
			})
			get := timed(ctx, env, largeGet, func(ctx context.Context) error {
				got, _, err := cl.GetObject(ctx, c.Bucket(), key)
				if err == nil && !bytes.Equal(got, body) {
					err = fmt.Errorf("%s: read %d bytes, not the %d written", key, len(got), len(body))
				}
				return err
			})
			ops = append(ops, put, get)
			if !put.OK || !get.OK {
				runErr = fmt.Errorf("%s: %s%s", key, put.Err, get.Err)
				return
			}
		}
		env.Clock.Sleep(ctx, 10*time.Second) // the third replica's copy lands
		stored, runErr = storedBytes(c)
	})
	if err = firstErr(err, runErr); err != nil {
		return largeResult{}, err
	}
	return largeResult{stats: workload.Summarise(ops, largePut, largeGet), stored: stored / int64(max(n, 1)),
		wire: (c.W.Network().Stats().Bytes - wire0) / int64(max(n, 1))}, nil
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// timed runs one request of kind, bounded by largeTimeout, and records it.
func timed(ctx context.Context, env workload.Env, kind string, req func(context.Context) error) workload.Op {
	ctx, cancel := env.Tasks.WithTimeout(ctx, largeTimeout)
	defer cancel()
	o := workload.Op{Kind: kind, Start: env.Clock.Mono()}
	err := req(ctx)
	o.End, o.OK = env.Clock.Mono(), err == nil
	if err != nil {
		o.Err = err.Error()
	}
	return o
}

// storedBytes adds up the block files of every node.
func storedBytes(c *lab.SimCluster) (int64, error) {
	var total int64
	for i := range c.C.IDs {
		u, err := c.C.Node(i).Block().Usage()
		if err != nil {
			return 0, fmt.Errorf("usage of %s: %w", c.C.IDs[i], err)
		}
		total += u.Bytes
	}
	return total, nil
}

// logBody is a compressible body of size bytes: access-log lines drawn
// from a generator seeded by i, as stored logs and exports are.
func logBody(i, size int) []byte {
	r := rand.New(rand.NewPCG(uint64(i), 0x6c6f67))
	methods := []string{"GET", "GET", "GET", "PUT", "HEAD", "DELETE"}
	statuses := []int{200, 200, 200, 204, 206, 404}
	var b bytes.Buffer
	for b.Len() < size {
		fmt.Fprintf(&b, "2025-06-%02dT%02d:%02d:%02d.%03dZ n%d %s /bucket/object-%05d %d %d %dms\n",
			1+r.IntN(28), r.IntN(24), r.IntN(60), r.IntN(60), r.IntN(1000), 1+r.IntN(5), methods[r.IntN(len(methods))],
			r.IntN(20000), statuses[r.IntN(len(statuses))], r.IntN(1<<20), r.IntN(500))
	}
	return b.Bytes()[:size]
}
