package lab

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gogarage/garage/checker"
	"github.com/gogarage/garage/experiments/endpoint"
	"github.com/gogarage/garage/experiments/simcluster"
	"github.com/gogarage/garage/experiments/workload"
	"github.com/gogarage/garage/node/garage"
	"github.com/gogarage/garage/sim"
)

// SimCluster is a Cluster of assembled nodes in a simulated world. W and
// C give what only the simulator observes: replica contents (C.Digests),
// bytes on the wire (W.Network().Stats()), crashes.
type SimCluster struct {
	W     *sim.World
	C     *simcluster.Cluster
	t     Topology
	start time.Duration
}

var (
	_ Cluster    = (*SimCluster)(nil)
	_ ZoneFaults = (*SimCluster)(nil)
)

// The access key and bucket of the simulated and real clusters the
// experiments open.
const (
	s3KeyID   = "GK0000000000000000000000e1"
	s3Secret  = "e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1"
	s3KeyName = "experiments"
	s3Bucket  = "experiments"
)

// OpenSim boots topology t in a new world seeded with seed, metadata
// commits durable at once (metadata_fsync), and creates the experiments'
// access key and bucket.
func OpenSim(seed uint64, t Topology) (*SimCluster, error) {
	w := sim.New(sim.Config{Seed: seed, Scenario: "experiment", SyncOnCommit: true})
	cfg := simcluster.Config{Nodes: t.Nodes, Zones: t.Zones, RF: t.RF, Mode: t.Mode, RTT: t.RTT, Jitter: t.Jitter,
		IntraZoneRTT: t.IntraZoneRTT, Bandwidth: t.Bandwidth, Spares: t.Spares, Controls: t.Controls, Tables: t.Tables, Membership: t.Membership,
		Block: t.Block}
	c, err := simcluster.Boot(w, cfg)
	if err == nil {
		err = c.SetupS3(simKey(), s3Bucket)
	}
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("simulated cluster of %d nodes: %w", t.Nodes, err)
	}
	return &SimCluster{W: w, C: c, t: t, start: w.Now()}, nil
}

func simKey() simcluster.S3Key {
	return simcluster.S3Key{ID: s3KeyID, Secret: s3Secret, Name: s3KeyName}
}

// Nodes lists n1…nN with their zones.
func (c *SimCluster) Nodes() []Node {
	out := make([]Node, len(c.C.IDs))
	for i, id := range c.C.IDs {
		out[i] = Node{ID: id, Zone: c.t.Zone(i), Spare: i >= c.t.Nodes-c.t.Spares}
	}
	return out
}

// Client sends signed S3 requests into node i's current incarnation's
// HTTP handler, as a client co-located with it.
func (c *SimCluster) Client(i int) endpoint.Client {
	return endpoint.S3{C: c.C.S3Client(i, simKey()), Via: "the simulated node's handler"}
}

// Bucket is the bucket OpenSim created.
func (c *SimCluster) Bucket() string { return s3Bucket }

// ObjectCopies reads each replica's copy of the object row of every key
// of the cluster's bucket, from a task given to Run (see
// simcluster.Cluster.ObjectCopies); it fails when every node is down.
func (c *SimCluster) ObjectCopies(keys []string) (checker.Digests, error) {
	first := c.C.FirstUp()
	if first < 0 {
		return nil, errors.New("no node up")
	}
	return c.C.ObjectCopies(first, s3Bucket, keys)
}

// Admin calls node i's admin endpoints through its own Net.
func (c *SimCluster) Admin(i int) *garage.Admin { return c.C.Admin(i) }

// Env is virtual time.
func (c *SimCluster) Env() workload.Env {
	return workload.Env{Clock: c.W.Env(c.C.IDs[0]).Clock, Tasks: c.W.Tasks()}
}

// Run runs fns as world tasks until all have returned.
func (c *SimCluster) Run(limit time.Duration, fns ...func(ctx context.Context)) error {
	done := 0
	for i, fn := range fns {
		c.W.Go(fmt.Sprintf("experiment-%d", i), func(ctx context.Context) {
			defer func() { done++ }()
			fn(ctx)
		})
	}
	return c.W.RunUntil(func() bool { return done == len(fns) }, limit)
}

// Elapsed is the virtual time since the cluster finished booting.
func (c *SimCluster) Elapsed() time.Duration { return c.W.Now() - c.start }

// Close ends the world.
func (c *SimCluster) Close() error {
	c.W.Close()
	return nil
}

// ZoneDown crashes every node of zone, as a power cut of the data centre.
func (c *SimCluster) ZoneDown(_ context.Context, zone string) error {
	for _, i := range c.zoneNodes(zone) {
		c.W.Crash(c.C.IDs[i])
	}
	return nil
}

// ZoneUp restarts every node of zone over its durable state.
func (c *SimCluster) ZoneUp(_ context.Context, zone string) error {
	for _, i := range c.zoneNodes(zone) {
		c.W.Restart(c.C.IDs[i])
	}
	return nil
}

func (c *SimCluster) zoneNodes(zone string) []int {
	var out []int
	for i, n := range c.Nodes() {
		if n.Zone == zone {
			out = append(out, i)
		}
	}
	return out
}
