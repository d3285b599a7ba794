package cluster

import (
	"fmt"

	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/node/rt"
)

// HealthStatus is the cluster's overall state, as Garage defines it.
type HealthStatus uint8

// Health states.
const (
	// Healthy: every storage node of the current layout is up.
	Healthy HealthStatus = iota
	// Degraded: some are down, but every partition has a write quorum up
	// in every live layout version.
	Degraded
	// Unavailable: some partition lacks a write quorum.
	Unavailable
)

func (s HealthStatus) String() string {
	switch s {
	case Healthy:
		return "healthy"
	case Degraded:
		return "degraded"
	case Unavailable:
		return "unavailable"
	}
	return fmt.Sprintf("health(%d)", uint8(s))
}

// Health is the cluster's health with the counts it derives from.
type Health struct {
	Status         HealthStatus
	KnownNodes     int // peers known, this node included
	ConnectedNodes int // peers up, this node included
	// StorageNodes counts the storage nodes of the current layout version,
	// StorageNodesUp those of them that are up.
	StorageNodes, StorageNodesUp int
	// Partitions is the partition count; PartitionsQuorum counts those with
	// a write quorum up in every live version, PartitionsAllOK those with
	// every replica of every live version up.
	Partitions, PartitionsQuorum, PartitionsAllOK int
}

func (h Health) String() string {
	return fmt.Sprintf("%s: nodes %d/%d connected, storage %d/%d up, partitions %d quorum, %d all ok, of %d",
		h.Status, h.ConnectedNodes, h.KnownNodes, h.StorageNodesUp, h.StorageNodes,
		h.PartitionsQuorum, h.PartitionsAllOK, h.Partitions)
}

// ComputeHealth derives the health of a layout history given which nodes
// are up and the write quorum. Node counts (Known, Connected) are left to
// the caller. A layout without a valid version has no partition with a
// quorum: it is unavailable.
func ComputeHealth(h *layout.History, up func(rt.NodeID) bool, writeQuorum int) Health {
	cur := h.Current()
	hl := Health{StorageNodes: len(cur.Storage), Partitions: cur.Partitions()}
	for _, id := range cur.Storage {
		if up(id) {
			hl.StorageNodesUp++
		}
	}
	for p := range cur.Partitions() {
		quorum, all := partitionHealth(h.WriteSets(layout.Partition(p)), up, writeQuorum)
		hl.PartitionsQuorum += b2i(quorum)
		hl.PartitionsAllOK += b2i(all)
	}
	hl.Status = healthStatus(hl)
	return hl
}

// partitionHealth reports whether every set has writeQuorum nodes up, and
// whether every node of every set is up. No set at all is no quorum.
func partitionHealth(sets [][]layout.NodeID, up func(rt.NodeID) bool, writeQuorum int) (quorum, all bool) {
	quorum, all = len(sets) > 0, len(sets) > 0
	for _, set := range sets {
		n := 0
		for _, id := range set {
			if up(id) {
				n++
			}
		}
		quorum = quorum && n >= writeQuorum
		all = all && n == len(set)
	}
	return quorum, all
}

func healthStatus(h Health) HealthStatus {
	switch {
	case h.PartitionsQuorum < h.Partitions:
		return Unavailable
	case h.StorageNodesUp < h.StorageNodes || h.PartitionsAllOK < h.Partitions:
		return Degraded
	}
	return Healthy
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
