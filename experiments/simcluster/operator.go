package simcluster

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gogarage/garage/node/garage"
	"github.com/gogarage/garage/node/rt"
)

// pollEvery is the period of the cluster's waits, in virtual time.
const pollEvery = 200 * time.Millisecond

// opDeadline bounds an operator's action in virtual time.
const opDeadline = 2 * time.Minute

// ErrNoNodeUp is returned by Operate when every node is down.
var ErrNoNodeUp = errors.New("no node is up to operate the cluster through")

// Admin returns an admin client of node i that calls it through its own
// Net, as the CLI calls a real node. Use it from a world task.
func (c *Cluster) Admin(i int) *garage.Admin {
	return &garage.Admin{Net: c.W.Env(c.IDs[i]).Net, To: c.IDs[i],
		Opts: rt.CallOpts{Timeout: 10 * time.Second, Prio: rt.PrioHigh}}
}

// FirstUp returns the index of the first node that is up, or -1.
func (c *Cluster) FirstUp() int {
	for i, id := range c.IDs {
		if c.W.Up(id) && !c.W.Paused(id) {
			return i
		}
	}
	return -1
}

// Operate runs fn, in a world task, with an admin client of the first node
// that is up, and runs the world until fn returns; it returns fn's error.
// It must be called between runs, not from a task (see Go).
func (c *Cluster) Operate(fn func(ctx context.Context, a *garage.Admin) error) error {
	var err error
	done := false
	c.Go("operator", fn, func(e error) { err, done = e, true })
	if werr := c.W.RunUntil(func() bool { return done }, opDeadline); werr != nil {
		return werr
	}
	return err
}

// Go starts fn in a world task with an admin client of the first node
// that is up, and passes its error to done (ErrNoNodeUp if none is up).
func (c *Cluster) Go(name string, fn func(ctx context.Context, a *garage.Admin) error, done func(error)) {
	c.W.Go(name, func(ctx context.Context) {
		i := c.FirstUp()
		if i < 0 {
			done(ErrNoNodeUp)
			return
		}
		done(fn(ctx, c.Admin(i)))
	})
}

// WaitSettled runs the world until every node that is up has layout
// version v or a newer one, has finished the transition to it (one live
// version), and sees every other up node up; or fails after deadline of
// virtual time.
func (c *Cluster) WaitSettled(v uint64, deadline time.Duration) error {
	var why error
	done := false
	c.W.Go("wait-settled", func(ctx context.Context) {
		for {
			if why = c.settled(v); why == nil {
				done = true
				return
			}
			if c.W.Sleep(ctx, pollEvery) != nil {
				return
			}
		}
	})
	if err := c.W.RunUntil(func() bool { return done }, deadline); err != nil {
		return fmt.Errorf("layout version %d not settled: %v: %w", v, why, err)
	}
	return nil
}

// settled returns why the cluster is not settled at version v, or nil.
func (c *Cluster) settled(v uint64) error {
	up := c.upCount()
	for i, id := range c.IDs {
		if !c.W.Up(id) {
			continue
		}
		n := c.nodes[i]
		if n == nil {
			return fmt.Errorf("%s still booting", id)
		}
		cur, live := n.Cluster().LayoutState()
		switch {
		case cur < v:
			return fmt.Errorf("%s at layout version %d", id, cur)
		case live > 1:
			return fmt.Errorf("%s in transition (%d live versions)", id, live)
		case n.Cluster().UpPeers() < up-1:
			return fmt.Errorf("%s sees %d peers up of %d", id, n.Cluster().UpPeers(), up-1)
		}
	}
	return nil
}

func (c *Cluster) upCount() int {
	n := 0
	for _, id := range c.IDs {
		if c.W.Up(id) {
			n++
		}
	}
	return n
}
