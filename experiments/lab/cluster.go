package lab

import (
	"context"
	"fmt"
	"time"

	"github.com/gogarage/garage/experiments/endpoint"
	"github.com/gogarage/garage/experiments/results"
	"github.com/gogarage/garage/experiments/workload"
	"github.com/gogarage/garage/node/block"
	"github.com/gogarage/garage/node/cluster"
	"github.com/gogarage/garage/node/garage"
	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/node/table"
)

// Cluster is a running cluster as an experiment sees it, whatever world
// it lives in. Its methods are called from the experiment's driving
// goroutine, except Client, Admin and Env, which the functions given to
// Run use from their tasks.
type Cluster interface {
	// Nodes lists the nodes, in a fixed order (index i of Client and
	// Admin).
	Nodes() []Node
	// Client returns a new endpoint client sending S3 requests to node i,
	// for one task.
	Client(i int) endpoint.Client
	// Bucket is the bucket the clients may read and write: created at
	// open in the simulator and on real processes, the target file's.
	Bucket() string
	// Admin returns an admin client of node i (layout, status).
	Admin(i int) *garage.Admin
	// Env is the clock and tasks of the clients: virtual in the
	// simulator, real elsewhere.
	Env() workload.Env
	// Run runs every fn concurrently as a client task and returns when
	// all have returned, or fails once limit has passed on the cluster's
	// clock (each fn's context is then cancelled).
	Run(limit time.Duration, fns ...func(ctx context.Context)) error
	// Elapsed is the time on the cluster's clock since it was opened.
	Elapsed() time.Duration
	// Close releases the cluster: a world or processes the session
	// started are stopped; a target is only disconnected from.
	Close() error
}

// Node is one node of a Cluster.
type Node struct {
	ID   rt.NodeID
	Zone string
	// Spare marks a node without a role, for layout changes to add.
	Spare bool
}

// ZoneFaults is a Cluster whose zones can be taken down and brought back:
// crashed and restarted nodes in the simulator, SIGKILLed and restarted
// processes on loopback, the commands of the target file on a deployed
// cluster. Both are called from a task given to Run.
type ZoneFaults interface {
	ZoneDown(ctx context.Context, zone string) error
	ZoneUp(ctx context.Context, zone string) error
}

// Topology is the cluster an experiment asks for. A target cluster is
// what it is: the fields only describe what the simulator would build.
type Topology struct {
	Nodes, Zones, RF int
	// Spares are extra nodes (the last ones of Nodes) without a role.
	Spares int
	Mode   table.Mode
	// RTT ± Jitter shapes every link between zones; IntraZoneRTT, if
	// positive, links inside a zone (without jitter).
	RTT, Jitter, IntraZoneRTT time.Duration
	// Bandwidth, if positive, is every simulated link's rate in bytes
	// per second.
	Bandwidth float64
	// Tables, Membership, Controls and Block tune the simulated nodes
	// (zero: the defaults).
	Tables     table.Config
	Membership cluster.Config
	Controls   garage.Controls
	Block      block.Config
}

// Garage5 is the topology of Garage's latency talk: 5 nodes in one zone,
// RF 3, 100 ms RTT ± 20 ms on every link.
func Garage5() Topology {
	return Topology{Nodes: 5, Zones: 1, RF: 3, RTT: 100 * time.Millisecond, Jitter: 20 * time.Millisecond}
}

// ThreeDCs is n nodes in 3 data centres: 0.5 ms inside, 100 ms ± 20 ms
// between them, RF 3.
func ThreeDCs(n int) Topology {
	t := Garage5()
	t.Nodes, t.Zones, t.IntraZoneRTT = n, 3, 500*time.Microsecond
	return t
}

// Zone names the zone of node i of t: z1…zZ round-robin.
func (t Topology) Zone(i int) string { return fmt.Sprintf("z%d", i%max(t.Zones, 1)+1) }

// Open opens a cluster of topology t in the session's world: a new
// simulated world (seeded with the session's seed) of assembled nodes, new
// garage server processes, or the target.
func (s *Session) Open(ctx context.Context, t Topology) (Cluster, error) {
	switch s.World {
	case results.Real:
		return openReal(ctx, s, t)
	case results.Target:
		return openTarget(ctx, s.Target)
	}
	return OpenSim(s.Seed, t)
}
