package realproc

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/node/daemon"
	"github.com/gogarage/garage/node/garage"
	"github.com/gogarage/garage/node/host/secconn"
	"github.com/gogarage/garage/node/rt"
)

// pollEvery is the period of every wait on the real cluster.
const pollEvery = 200 * time.Millisecond

// procCluster is a set of garage server processes on loopback sharing one
// rpc_secret, and an admin client of each.
type procCluster struct {
	procs  []*realProc
	secret [secconn.SecretSize]byte
	admins []*daemon.Client
}

// newProcCluster creates the nodes' directories, identities and configs:
// node 1 is every other node's bootstrap peer, and every node shapes its
// links to the others (not to clients) with o's RTT and jitter.
func newProcCluster(o Options, bin, dir string) (*procCluster, error) {
	c := &procCluster{}
	if _, err := rand.Read(c.secret[:]); err != nil {
		return nil, fmt.Errorf("rpc secret: %w", err)
	}
	for i := range o.Nodes {
		name := fmt.Sprintf("n%d", i+1)
		p, err := newProc(bin, filepath.Join(dir, name), name, fmt.Sprintf("z%d", i%max(o.Zones, 1)+1))
		if err != nil {
			return nil, err
		}
		if o.AdminToken != "" {
			if p.adminAddr, err = freeLoopback(); err != nil {
				return nil, err
			}
		}
		if o.S3 {
			if p.s3Addr, err = freeLoopback(); err != nil {
				return nil, err
			}
		}
		c.procs = append(c.procs, p)
	}
	for i, p := range c.procs {
		var boot []string
		if i > 0 {
			boot = []string{c.procs[0].target()}
		}
		if err := p.writeConfig(o, hex.EncodeToString(c.secret[:]), boot); err != nil {
			return nil, err
		}
		if peers := c.shapedPeers(p, o.InterZoneOnly); len(peers) > 0 && (o.RTT > 0 || o.Jitter > 0) {
			p.args = []string{"--netem", fmt.Sprintf("%v,%v", o.RTT, o.Jitter), "--netem-peers", strings.Join(peers, ",")}
		}
	}
	return c, nil
}

// shapedPeers lists the ids of the nodes p shapes its links to: every
// node, or those of other zones only.
func (c *procCluster) shapedPeers(p *realProc, interZoneOnly bool) []string {
	var ids []string
	for _, q := range c.procs {
		if !interZoneOnly || q.zone != p.zone {
			ids = append(ids, string(q.id))
		}
	}
	return ids
}

// client dials a fresh client of node i, bounded by timeout per call.
func (c *procCluster) client(i int, timeout time.Duration) (*daemon.Client, error) {
	cl, err := daemon.Dial(c.procs[i].target(), c.secret)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", c.procs[i].name, err)
	}
	cl.SetTimeout(timeout)
	return cl, nil
}

// dialAdmins opens the admin client of every node.
func (c *procCluster) dialAdmins() error {
	for i := range c.procs {
		cl, err := c.client(i, 5*time.Second)
		if err != nil {
			return err
		}
		c.admins = append(c.admins, cl)
	}
	return nil
}

// close releases the admin clients and kills whatever still runs.
func (c *procCluster) close() {
	for _, cl := range c.admins {
		cl.Close()
	}
	killAll(c.procs)
}

// waitFor polls check until it returns nil, ctx ends or limit passes.
func waitFor(ctx context.Context, limit time.Duration, what string, check func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	for {
		err := check(ctx)
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("wait for %s: %v: %w", what, err, ctx.Err())
		case <-time.After(pollEvery):
		}
	}
}

// waitUp waits until node i answers and sees every node of the cluster up.
func (c *procCluster) waitUp(ctx context.Context, i int, limit time.Duration) error {
	what := c.procs[i].name + " sees every node up"
	return waitFor(ctx, limit, what, func(ctx context.Context) error {
		st, err := c.admins[i].Status(ctx)
		if err != nil {
			return err
		}
		up := 0
		for _, n := range st.Nodes {
			if n.Up {
				up++
			}
		}
		if up != len(c.procs) {
			return fmt.Errorf("%d of %d nodes up", up, len(c.procs))
		}
		return nil
	})
}

// waitMesh waits until every node sees every node up.
func (c *procCluster) waitMesh(ctx context.Context, limit time.Duration) error {
	for i := range c.procs {
		if err := c.waitUp(ctx, i, limit); err != nil {
			return err
		}
	}
	return nil
}

// assignLayout stages a storage role for every node but the spares in its
// zone through node 1 and applies it as version 1.
func (c *procCluster) assignLayout(ctx context.Context, spares int) error {
	var req garage.StageRequest
	for _, p := range c.procs[:len(c.procs)-spares] {
		req.Roles = append(req.Roles, garage.RoleChange{Node: p.id, Role: layout.StorageRole(p.zone, 1<<30)})
	}
	if err := c.admins[0].Stage(ctx, req); err != nil {
		return fmt.Errorf("stage roles: %w", err)
	}
	if _, err := c.admins[0].Apply(ctx, 1); err != nil {
		return fmt.Errorf("apply layout 1: %w", err)
	}
	return nil
}

// waitLayout waits until every node has layout version v and has finished
// the transition to it.
func (c *procCluster) waitLayout(ctx context.Context, v uint64, limit time.Duration) error {
	for i, p := range c.procs {
		err := waitFor(ctx, limit, p.name+" in layout version "+fmt.Sprint(v), func(ctx context.Context) error {
			h, err := c.admins[i].Layout(ctx)
			switch {
			case err != nil:
				return err
			case h.Current().Number != v || h.InTransition():
				return fmt.Errorf("at version %d, in transition %t", h.Current().Number, h.InTransition())
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// ids returns the node ids in node order.
func (c *procCluster) ids() []rt.NodeID {
	ids := make([]rt.NodeID, len(c.procs))
	for i, p := range c.procs {
		ids[i] = p.id
	}
	return ids
}
