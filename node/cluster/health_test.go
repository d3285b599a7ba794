package cluster

import (
	"fmt"
	"slices"
	"testing"

	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/node/rt"
)

// fiveNodes returns a history at version 1 with n1…n5 over dc1…dc3.
func fiveNodes(t *testing.T) *layout.History {
	t.Helper()
	h, err := layout.NewHistory(3, 4)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 5; i++ {
		id := layout.NodeID(fmt.Sprintf("n%d", i))
		if err := h.Assign(id, layout.StorageRole(zoneOf(i), 100*gb), 1); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := h.Apply(1, 2); err != nil {
		t.Fatal(err)
	}
	return h
}

func downSet(ids ...rt.NodeID) func(rt.NodeID) bool {
	return func(id rt.NodeID) bool { return !slices.Contains(ids, id) }
}

func TestComputeHealth(t *testing.T) {
	h := fiveNodes(t)
	for _, tc := range []struct {
		name   string
		down   []rt.NodeID
		want   HealthStatus
		upNode int
	}{
		{"all up", nil, Healthy, 5},
		{"one down", []rt.NodeID{"n5"}, Degraded, 4},
		{"a zone down", []rt.NodeID{"n1", "n4"}, Degraded, 3},
		{"two zones down", []rt.NodeID{"n3", "n5"}, Unavailable, 3},
	} {
		got := ComputeHealth(h, downSet(tc.down...), 2)
		if got.Status != tc.want || got.StorageNodesUp != tc.upNode || got.StorageNodes != 5 || got.Partitions != 16 {
			t.Errorf("%s: %v, want %v with %d storage nodes up", tc.name, got, tc.want, tc.upNode)
		}
		if got.PartitionsAllOK > got.PartitionsQuorum {
			t.Errorf("%s: more partitions all ok than with quorum: %v", tc.name, got)
		}
	}
}

func TestComputeHealthEmptyLayout(t *testing.T) {
	h, err := layout.NewHistory(3, 8)
	if err != nil {
		t.Fatal(err)
	}
	if got := ComputeHealth(h, downSet(), 2); got.Status != Unavailable || got.PartitionsQuorum != 0 {
		t.Errorf("empty layout: %v, want unavailable with no quorum", got)
	}
}

func TestComputeHealthTransitionNeedsEveryVersion(t *testing.T) {
	h := fiveNodes(t)
	if err := h.Remove("n5", 3); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Apply(2, 4); err != nil {
		t.Fatal(err)
	}
	// n5 is gone from version 2 but still holds data of version 1: while
	// both are live, n5 being down degrades the cluster.
	newOnly := &layout.History{Versions: h.Versions[1:]}
	if got := ComputeHealth(newOnly, downSet("n5"), 2); got.Status != Healthy {
		t.Errorf("version 2 alone with n5 down: %v, want healthy", got)
	}
	got := ComputeHealth(h, downSet("n5"), 2)
	if got.Status != Degraded || got.PartitionsQuorum != 16 || got.PartitionsAllOK == 16 {
		t.Errorf("transition with n5 down: %v, want degraded with quorum everywhere", got)
	}
}

func TestHealthStatusString(t *testing.T) {
	for s, want := range map[HealthStatus]string{Healthy: "healthy", Degraded: "degraded", Unavailable: "unavailable", 9: "health(9)"} {
		if got := s.String(); got != want {
			t.Errorf("%d.String() = %q, want %q", s, got, want)
		}
	}
}
