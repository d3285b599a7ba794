package object_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"regexp"
	"testing"
	"time"

	"github.com/gogarage/garage/experiments/simcluster"
	"github.com/gogarage/garage/node/block"
	"github.com/gogarage/garage/node/model"
	"github.com/gogarage/garage/node/object"
	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/node/table"
	"github.com/gogarage/garage/sim"
)

var long = flag.Bool("long", false, "run the latency figures and the longer sweeps")

// testBlockSize keeps multi-block objects small in tests.
const testBlockSize = 64 << 10

// env is a booted five-node cluster (RF 3) of assembled nodes.
type env struct {
	t *testing.T
	c *simcluster.Cluster
	w *sim.World
}

type opts struct {
	seed     uint64
	rtt      time.Duration
	noRedo   bool
	blockGC  time.Duration
	upload   time.Duration // object UploadTimeout
	net      func(id rt.NodeID, n rt.Net) rt.Net
	blockSz  int
	jitter   time.Duration
	parallel int
	rec      *recorder // if set, records every RPC
}

func newEnv(t *testing.T, o opts) *env {
	t.Helper()
	w := sim.New(sim.Config{Seed: o.seed, Scenario: t.Name()})
	t.Cleanup(w.Close)
	if o.rec != nil {
		o.rec.world, o.net = w, o.rec.wrap
	}
	cfg := simcluster.Default()
	cfg.RTT, cfg.Jitter = o.rtt, o.jitter
	if cfg.RTT == 0 {
		cfg.RTT = 10 * time.Millisecond
	}
	cfg.Zones = 3
	cfg.Net = o.net
	cfg.Tables = table.Config{GCDelay: time.Minute, GCInterval: 30 * time.Second, SyncInterval: time.Minute}
	cfg.Block = block.Config{BlockSize: orInt(o.blockSz, testBlockSize), GCDelay: orDur(o.blockGC, time.Minute),
		NewRefDelay: 10 * time.Second, RetryDelay: 5 * time.Second}
	cfg.Objects = object.Config{UploadTimeout: orDur(o.upload, 2*time.Minute), AbortInterval: 20 * time.Second,
		RepairRetry: 10 * time.Second, NoRedo: o.noRedo, PutParallel: o.parallel}
	c, err := simcluster.Boot(w, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return &env{t: t, c: c, w: w}
}

func orInt(v, d int) int {
	if v == 0 {
		return d
	}
	return v
}

func orDur(v, d time.Duration) time.Duration {
	if v == 0 {
		return d
	}
	return v
}

func (e *env) must(err error) {
	e.t.Helper()
	if err != nil {
		e.t.Fatal(err)
	}
}

// svc returns node i's object service (its current incarnation).
func (e *env) svc(i int) *object.Service { return e.c.Node(i).Objects() }

// do runs fn with node i's service in a world task, and the world until
// it returns (at most ten virtual minutes); it returns fn's error.
func (e *env) do(i int, fn func(ctx context.Context, s *object.Service) error) error {
	e.t.Helper()
	done, ferr := false, error(nil)
	e.w.Go("client", func(ctx context.Context) { ferr, done = fn(ctx, e.svc(i)), true })
	if err := e.w.RunUntil(func() bool { return done }, 10*time.Minute); err != nil {
		e.t.Fatalf("run: %v", err)
	}
	return ferr
}

// bucket creates a bucket through node 0.
func (e *env) bucket(name string) model.UUID {
	e.t.Helper()
	var id model.UUID
	e.must(e.do(0, func(ctx context.Context, s *object.Service) (err error) {
		id, err = s.CreateBucket(ctx, name, "")
		return err
	}))
	return id
}

func (e *env) put(i int, b model.UUID, key string, data []byte) object.ObjectInfo {
	e.t.Helper()
	var info object.ObjectInfo
	e.must(e.do(i, func(ctx context.Context, s *object.Service) (err error) {
		info, err = s.Put(ctx, b, key, bytes.NewReader(data), model.Meta{})
		return err
	}))
	return info
}

// get reads key through node i, with opts, and returns its content and
// bytes.
func (e *env) get(i int, b model.UUID, key string, o object.GetOptions) (*object.Content, []byte, error) {
	e.t.Helper()
	var c *object.Content
	var data []byte
	err := e.do(i, func(ctx context.Context, s *object.Service) error {
		var err error
		if c, err = s.Get(ctx, b, key, o); err != nil {
			return err
		}
		defer c.Body.Close()
		data, err = io.ReadAll(c.Body)
		return err
	})
	return c, data, err
}

// settle runs until no node has queued inserts, then dur of virtual time.
func (e *env) settle(dur time.Duration) {
	e.t.Helper()
	e.must(e.w.RunUntil(func() bool {
		for i, id := range e.c.IDs {
			if !e.w.Up(id) {
				continue
			}
			if n, err := e.svc(i).Tables().Queued(); err != nil || n > 0 {
				return false
			}
		}
		return true
	}, 10*time.Minute))
	e.must(e.w.RunFor(dur))
}

// data returns n pseudo-random bytes of seed.
func data(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, 0xda7a))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

var blockFile = regexp.MustCompile(`^[0-9a-f]{2}/[0-9a-f]{2}/([0-9a-f]{64})(\.zst)?$`)

// blockFiles returns, per node that is up, the hashes of the block files
// it holds.
func (e *env) blockFiles() map[rt.NodeID][]string {
	out := map[rt.NodeID][]string{}
	for _, id := range e.c.IDs {
		if !e.w.Up(id) {
			continue
		}
		names, err := e.w.Env(id).Files.List("")
		e.must(err)
		for _, n := range names {
			if m := blockFile.FindStringSubmatch(n); m != nil {
				out[id] = append(out[id], m[1])
			}
		}
	}
	return out
}

// countBlockFiles returns the number of block files of every node.
func (e *env) countBlockFiles() int {
	n := 0
	for _, hs := range e.blockFiles() {
		n += len(hs)
	}
	return n
}

// refCount returns the reference counts of h on every node, as a string
// (one digit each).
func (e *env) refCount(h block.Hash) string {
	s := ""
	for i := range e.c.IDs {
		n, err := e.c.Node(i).Block().RefCount(h)
		e.must(err)
		s += fmt.Sprint(n)
	}
	return s
}

func bytesOf(b []byte) io.Reader { return bytes.NewReader(b) }
