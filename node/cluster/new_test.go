package cluster

import (
	"errors"
	"testing"
	"time"

	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/sim"
)

func TestNewRejectsBadConfig(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
		want error
	}{
		{"bad bootstrap", Config{Replication: 3, Bootstrap: []string{"n1@nowhere"}}, ErrBadPeer},
		{"no replication factor", Config{}, layout.ErrBadParams},
	} {
		w := sim.New(sim.Config{Seed: 1})
		var err error
		w.AddNode("n1", "dc1", func(env rt.Env) { _, err = New(env, tc.cfg) })
		if runErr := w.Run(); runErr != nil {
			t.Fatal(runErr)
		}
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: New = %v, want %v", tc.name, err, tc.want)
		}
		w.Close()
	}
}

func TestSubscribersSeeNewVersions(t *testing.T) {
	h := newHarness(t, 60, 5, nil)
	var seen []uint64
	h.hook = func(env rt.Env, c *Cluster) {
		if env.ID == "n4" {
			c.Subscribe(func(hs *layout.History) { seen = append(seen, hs.Current().Number) })
		}
	}
	h.until("full mesh", 30*time.Second, h.meshed)
	h.assignAll()
	h.run(time.Second)
	if len(seen) == 0 || seen[len(seen)-1] != 1 {
		t.Errorf("n4's subscriber saw versions %v, want ending with 1", seen)
	}
}
