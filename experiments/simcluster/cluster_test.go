package simcluster

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/gogarage/garage/checker"
	"github.com/gogarage/garage/experiments/workload"
	"github.com/gogarage/garage/sim"
)

// TestBootAndServe boots five assembled nodes over three zones, applies
// the layout through the admin endpoints, and runs the register workload
// through them: every gating check passes.
func TestBootAndServe(t *testing.T) {
	w := sim.New(sim.Config{Seed: 1, Scenario: "simcluster"})
	defer w.Close()
	cfg := Default()
	cfg.Zones = 3
	c, err := Boot(w, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("booted at %v virtual, %d steps", w.Now(), w.Steps())
	h := workload.NewHistory(nil)
	wl := workload.DefaultRegisterWorkload()
	done := 0
	for cl := range wl.Clients {
		i := cl % len(c.IDs)
		env := workload.Env{Clock: w.Env(c.IDs[i]).Clock, Tasks: w.Tasks()}
		rnd := w.Rand(fmt.Sprintf("client-%d", cl))
		w.Go(fmt.Sprintf("client-%d", cl), func(ctx context.Context) {
			defer func() { done++ }()
			wl.RunClient(ctx, cl, env, rnd, workload.Node{N: c.NodeFunc(i)}, h)
		})
	}
	if err := w.RunUntil(func() bool { return done == wl.Clients }, 10*time.Minute); err != nil {
		t.Fatal(err)
	}
	ops := h.Ops()
	if len(ops) != wl.Clients*wl.OpsPerClient {
		t.Fatalf("%d ops, want %d", len(ops), wl.Clients*wl.OpsPerClient)
	}
	rs, err := checker.CheckAll(h.Rec.History(), checker.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if r.Gate() && !r.OK {
			t.Errorf("%s", r)
		}
	}
	failed := 0
	for _, o := range ops {
		if !o.OK {
			failed++
		}
	}
	if failed > 0 {
		t.Errorf("%d of %d ops failed on a healthy cluster", failed, len(ops))
	}
	t.Logf("\n%s", workload.FormatStats(workload.Summarise(ops, "get", "put", "delete")))
}
