package lab

import (
	"context"
	"errors"
	"fmt"

	"github.com/gogarage/garage/experiments/realproc"
)

// RealCluster is a Cluster of `garage server` processes on loopback that
// the session started, shaped by netem; P kills and restarts them.
type RealCluster struct {
	*rpcCluster
	P *realproc.Cluster
}

var (
	_ Cluster    = (*RealCluster)(nil)
	_ ZoneFaults = (*RealCluster)(nil)
)

// openReal starts the processes of t: links between zones shaped to
// RTT ± Jitter, links inside a zone left direct when t has an intra-zone
// RTT (loopback is then about 0.05 ms rather than 0.5).
func openReal(ctx context.Context, s *Session, t Topology) (*RealCluster, error) {
	if s.Garage == "" {
		return nil, errors.New("no garage binary for the real world (pass --garage)")
	}
	o := realproc.Options{Garage: s.Garage, Nodes: t.Nodes, Zones: t.Zones, RF: t.RF, Mode: t.Mode.String(),
		RTT: t.RTT, Jitter: t.Jitter, InterZoneOnly: t.IntraZoneRTT > 0, Spares: t.Spares, Fsync: true, Seed: s.Seed,
		S3: true, Bucket: s3Bucket, KeyName: s3KeyName}
	p, err := realproc.Start(ctx, o)
	if err != nil {
		return nil, fmt.Errorf("start %d garage servers: %w", t.Nodes, err)
	}
	nodes, targets := make([]Node, p.Len()), make([]string, p.Len())
	bucket, key := p.Bucket()
	s3 := S3Access{KeyID: key.ID, Secret: key.Secret, Region: realproc.S3Region, Bucket: bucket}
	for i := range nodes {
		nodes[i] = Node{ID: p.ID(i), Zone: p.Zone(i), Spare: i >= t.Nodes-t.Spares}
		targets[i] = p.Target(i)
		s3.Endpoints = append(s3.Endpoints, p.S3(i))
	}
	return &RealCluster{rpcCluster: newRPCCluster(nodes, targets, p.Secret(), s3), P: p}, nil
}

// Close closes the clients and stops the processes.
func (c *RealCluster) Close() error {
	c.closeClients()
	return c.P.Close()
}

// ZoneDown SIGKILLs every process of zone.
func (c *RealCluster) ZoneDown(_ context.Context, zone string) error {
	for i, n := range c.nodes {
		if n.Zone == zone {
			c.P.Kill(i)
		}
	}
	return nil
}

// ZoneUp restarts every process of zone.
func (c *RealCluster) ZoneUp(_ context.Context, zone string) error {
	var errs []error
	for i, n := range c.nodes {
		if n.Zone == zone && !c.P.Running(i) {
			errs = append(errs, c.P.Restart(i))
		}
	}
	return errors.Join(errs...)
}
