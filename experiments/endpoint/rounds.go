package endpoint

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/gogarage/garage/experiments/workload"
)

// Rounds is the seed's latency measurement: N rounds, each sending one
// request of every endpoint in turn, one request at a time. A round puts a
// fresh object, reads it back, lists the bucket, removes the object and
// lists the buckets, so that every request finds what it would in a real
// benchmark.
type Rounds struct {
	N       int           // rounds: samples per endpoint
	Bucket  string        // bucket of the objects
	Size    int           // body of each PutObject, in bytes
	Objects int           // objects put before the first round, so that listings list something
	Timeout time.Duration // bound of each request (none if 0)
}

// Run performs the rounds through c as client id and returns every
// request as an Op whose Kind is the endpoint's name, in order; after each
// round it calls each (if not nil). It stops early, returning what it
// measured, if ctx ends.
func (r Rounds) Run(ctx context.Context, id int, env workload.Env, c Client, each func()) []workload.Op {
	var ops []workload.Op
	b := r.Bucket
	for i := range r.Objects {
		c.PutObject(ctx, b, fmt.Sprintf("fill-%04d", i), body(i, r.Size))
	}
	for i := range r.N {
		key := fmt.Sprintf("obj-%05d", i)
		for _, n := range All() {
			if ctx.Err() != nil {
				return ops
			}
			ops = append(ops, r.do(ctx, env, c, workload.Op{Client: id, Kind: string(n), Key: key}, i))
		}
		if each != nil {
			each()
		}
	}
	return ops
}

// do sends one request and times it on env's clock.
func (r Rounds) do(ctx context.Context, env workload.Env, c Client, o workload.Op, i int) workload.Op {
	if r.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = env.Tasks.WithTimeout(ctx, r.Timeout)
		defer cancel()
	}
	o.Start = env.Clock.Mono()
	err := Send(ctx, c, Name(o.Kind), r.Bucket, o.Key, body(i, r.Size))
	o.End, o.OK = env.Clock.Mono(), err == nil
	if err != nil {
		o.Err = err.Error()
	}
	return o
}

// Send sends one request of endpoint n about key of bucket (body for a
// PutObject, the listing's page size is 1000 as S3's).
func Send(ctx context.Context, c Client, n Name, bucket, key string, body []byte) error {
	var err error
	switch n {
	case ListBuckets:
		err = c.ListBuckets(ctx)
	case ListObjects:
		_, err = c.ListObjects(ctx, bucket, 1000)
	case GetObject:
		_, _, err = c.GetObject(ctx, bucket, key)
	case PutObject:
		_, err = c.PutObject(ctx, bucket, key, body)
	case RemoveObject:
		_, err = c.RemoveObject(ctx, bucket, key)
	default:
		panic(fmt.Sprintf("endpoint: unknown endpoint %q", n))
	}
	return err
}

// body is the deterministic body of round i: size bytes.
func body(i, size int) []byte {
	tag := fmt.Sprintf("round-%d;", i)
	return bytes.Repeat([]byte(tag), size/len(tag)+1)[:size]
}
