package main

import (
	"strings"
	"testing"
	"time"

	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/node/cluster"
	"github.com/gogarage/garage/node/garage"
	"github.com/gogarage/garage/node/rt"
)

// ids are fixed node ids for rendering tests.
var ids = []rt.NodeID{
	"1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f809",
	"2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a",
	"3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b",
	"4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c",
}

func testStatus() garage.StatusReply {
	space := cluster.Space{DataFree: 40e9, DataTotal: 100e9}
	return garage.StatusReply{Self: ids[0], Nodes: []cluster.NodeInfo{
		{ID: ids[0], Self: true, Up: true, Addr: "10.0.0.1:3901", Hostname: "alpha", LastSeen: time.Hour,
			HasRole: true, Role: layout.StorageRole("dc1", 1e12, "ssd"), Space: space},
		{ID: ids[1], Up: true, Addr: "10.0.0.2:3901", Hostname: "beta", LastSeen: time.Hour,
			HasRole: true, Role: layout.GatewayRole("dc2"), Space: space},
		{ID: ids[2], Up: true, Addr: "10.0.0.3:3901", Hostname: "gamma", LastSeen: time.Hour},
		{ID: ids[3], Addr: "10.0.0.4:3901", Hostname: "delta", LastSeen: time.Hour - 95*time.Second,
			HasRole: true, Role: layout.StorageRole("dc3", 5e11)},
	}}
}

// testHistory returns a history with version 1 applied (three storage
// nodes), version 2 (a fourth node) applied and live next to it, and a
// staged change.
func testHistory(t *testing.T) *layout.History {
	t.Helper()
	h, err := layout.NewHistory(3, 8)
	if err != nil {
		t.Fatal(err)
	}
	for i, z := range []string{"dc1", "dc2", "dc3"} {
		mustOK(t, h.Assign(ids[i], layout.StorageRole(z, 1e12, "t"+z), layout.Timestamp(10+i)))
	}
	if _, err := h.Apply(1, 20); err != nil {
		t.Fatal(err)
	}
	mustOK(t, h.Assign(ids[3], layout.StorageRole("dc1", 2e12), 30))
	if _, err := h.Apply(2, 40); err != nil {
		t.Fatal(err)
	}
	mustOK(t, h.Remove(ids[2], 50))
	mustOK(t, h.Assign(ids[2], layout.GatewayRole("dc3"), 51))
	return h
}

func mustOK(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestRenderGolden(t *testing.T) {
	h := testHistory(t)
	empty, _ := layout.NewHistory(3, 8)
	infeasible, _ := layout.NewHistory(3, 8)
	mustOK(t, infeasible.Assign(ids[0], layout.StorageRole("dc1", 1e9), 1))
	tests := []struct {
		name   string
		render func(*strings.Builder)
	}{
		{"status.golden", func(b *strings.Builder) { renderStatus(b, testStatus()) }},
		{"health.golden", func(b *strings.Builder) {
			renderHealth(b, cluster.Health{Status: cluster.Degraded, KnownNodes: 4, ConnectedNodes: 3,
				StorageNodes: 3, StorageNodesUp: 2, Partitions: 256, PartitionsQuorum: 256, PartitionsAllOK: 170})
		}},
		{"layout_show.golden", func(b *strings.Builder) { renderLayoutShow(b, h) }},
		{"layout_show_empty.golden", func(b *strings.Builder) { renderLayoutShow(b, empty) }},
		{"layout_show_infeasible.golden", func(b *strings.Builder) { renderLayoutShow(b, infeasible) }},
		{"layout_history.golden", func(b *strings.Builder) { renderLayoutHistory(b, h) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			tt.render(&b)
			golden(t, tt.name, b.String())
		})
	}
}

func TestStatusSectionsParsesRenderedStatus(t *testing.T) {
	var b strings.Builder
	renderStatus(&b, testStatus())
	healthy, failed := statusSections(b.String())
	if got, want := strings.Join(healthy, " "), ids[0].Short()+" "+ids[1].Short()+" "+ids[2].Short(); got != want {
		t.Errorf("healthy: got %s, want %s", got, want)
	}
	if got, want := strings.Join(failed, " "), ids[3].Short(); got != want {
		t.Errorf("failed: got %s, want %s", got, want)
	}
}
