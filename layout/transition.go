package layout

import (
	"fmt"
	"slices"
)

// A transition from version a to a newer b runs in three steps, each
// recorded per node in the Trackers and each gated on a cluster-wide
// minimum (a node without an entry counts as MinStored):
//
//  1. every node (gateways too) acks b: it sends all new writes to every
//     live version. Once AckMin() >= b, no write can miss b's nodes.
//  2. storage nodes copy the data b assigns them and set Sync to b. Once
//     SyncMin() >= b, ReadVersion() is b: reads stop using a.
//  3. every storage node sync-acks b (it has no read in flight on a).
//     Once SyncAckMin() > a, version a retires.

// AllNodes returns the sorted ids of every node with a role in a live
// version, gateways included.
func (h *History) AllNodes() []NodeID { return h.nodes(true) }

// StorageNodes returns the sorted ids of every storage node of a live
// version.
func (h *History) StorageNodes() []NodeID { return h.nodes(false) }

func (h *History) nodes(gateways bool) []NodeID {
	var out []NodeID
	for i := range h.Versions {
		for _, m := range h.Versions[i].Members {
			if gateways || !m.Role.Gateway {
				out = append(out, m.ID)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// AckMin is the newest version every node of a live version has acked.
func (h *History) AckMin() uint64 { return h.minAmong(h.Trackers.Ack, true) }

// SyncMin is the newest version every storage node has synced.
func (h *History) SyncMin() uint64 { return h.minAmong(h.Trackers.Sync, false) }

// SyncAckMin is the newest version every storage node has sync-acked.
func (h *History) SyncAckMin() uint64 { return h.minAmong(h.Trackers.SyncAck, false) }

// minAmong is t.MinAmong(h.nodes(gateways), h.MinStored()) without
// building the list: a minimum ignores order and repeats. Reads call
// SyncMin for every request.
func (h *History) minAmong(t Tracker, gateways bool) uint64 {
	floor := h.MinStored()
	out, first := floor, true
	for i := range h.Versions {
		for _, m := range h.Versions[i].Members {
			if !gateways && m.Role.Gateway {
				continue
			}
			v, ok := t.Get(m.ID)
			if !ok || v < floor {
				v = floor
			}
			if first || v < out {
				out, first = v, false
			}
		}
	}
	return out
}

// ReadVersion returns the version reads use: the newest one every storage
// node has synced (SyncMin). SyncMin is never below the oldest live
// version; should it name no live version, reads stay on the oldest one,
// never on a newer version that may not be synced.
func (h *History) ReadVersion() *Version {
	sm := h.SyncMin()
	for i := range h.Versions {
		if h.Versions[i].Number == sm {
			return &h.Versions[i]
		}
	}
	return &h.Versions[0]
}

// ReadNodes returns the ordered nodes reads of partition p use, in a new
// slice.
func (h *History) ReadNodes(p Partition) []NodeID { return h.ReadVersion().NodesOf(p) }

// WriteSets returns one ordered node set per live version, oldest first:
// a write of partition p must reach a quorum in every set. Empty versions
// contribute no set. The sets are new slices.
func (h *History) WriteSets(p Partition) [][]NodeID {
	var out [][]NodeID
	for i := range h.Versions {
		if ns := h.Versions[i].NodesOf(p); ns != nil {
			out = append(out, ns)
		}
	}
	return out
}

// PartitionOf returns the partition of key hash k.
func (h *History) PartitionOf(k Hash) Partition {
	return PartitionOf(k, h.Current().Params.PartitionBits)
}

// SyncTarget returns the version a storage node should sync to, and
// whether syncing may start: only when every node has acked it, so no
// write to it can be missed by the copy.
func (h *History) SyncTarget() (uint64, bool) {
	cur := h.Current().Number
	return cur, h.AckMin() >= cur
}

// InTransition reports whether more than one version is live.
func (h *History) InTransition() bool { return len(h.Versions) > 1 }

// RetireBelow returns the version number under which live versions can be
// retired: SyncAckMin, but never the current version.
func (h *History) RetireBelow() uint64 { return min(h.SyncAckMin(), h.Current().Number) }

// Ack raises node's ack tracker to v and reports whether h changed.
func (h *History) Ack(node NodeID, v uint64) bool { return h.track(&h.Trackers.Ack, node, v) }

// Synced raises node's sync tracker to v and reports whether h changed.
func (h *History) Synced(node NodeID, v uint64) bool { return h.track(&h.Trackers.Sync, node, v) }

// SyncAcked raises node's sync-ack tracker to v and reports whether h
// changed.
func (h *History) SyncAcked(node NodeID, v uint64) bool {
	return h.track(&h.Trackers.SyncAck, node, v)
}

func (h *History) track(t *Tracker, node NodeID, v uint64) bool {
	if !t.SetMax(node, v) {
		return false
	}
	h.cleanup()
	return true
}

// SkipDeadNodes lets a transition to version v proceed without the dead
// nodes (the operator's "layout skip-dead-nodes"): their ack is set to v.
// With allowMissingData, every node's ack and sync are set to v too,
// accepting that data only a dead node held may be lost. Then, since a dead
// node reads nothing, its sync-ack is raised to the cluster's sync minimum
// (at most v), which lets older versions retire once the others have
// synced. v must be live and newer than the oldest live version.
func (h *History) SkipDeadNodes(v uint64, dead []NodeID, allowMissingData bool) (bool, error) {
	if v <= h.MinStored() || v > h.Current().Number {
		return false, fmt.Errorf("skip dead nodes: %w: version %d is not in (%d, %d]",
			ErrWrongVersion, v, h.MinStored(), h.Current().Number)
	}
	changed := false
	all := h.AllNodes()
	for _, n := range all {
		if allowMissingData || slices.Contains(dead, n) {
			changed = h.Trackers.Ack.SetMax(n, v) || changed
		}
		if allowMissingData {
			changed = h.Trackers.Sync.SetMax(n, v) || changed
		}
	}
	sm := min(h.SyncMin(), v)
	for _, n := range all {
		if slices.Contains(dead, n) {
			changed = h.Trackers.SyncAck.SetMax(n, sm) || changed
		}
	}
	h.cleanup()
	return changed, nil
}

// cleanup drops invalid versions that precede a valid current one and
// retires versions every storage node has moved past.
func (h *History) cleanup() {
	if h.Current().Valid() == nil {
		for len(h.Versions) > 1 && h.Versions[0].Valid() != nil {
			h.Versions = h.Versions[1:]
		}
	}
	for len(h.Versions) > 1 && h.MinStored() < h.SyncAckMin() {
		h.Old = append(h.Old, h.Versions[0])
		h.Versions = h.Versions[1:]
	}
	if n := len(h.Old); n > KeepOld {
		h.Old = slices.Clone(h.Old[n-KeepOld:])
	}
	h.Versions = slices.Clip(h.Versions)
}

// Merge merges o into h: versions that extend h's, the trackers and the
// staging. It reports whether h changed. If o holds a different version
// under a number h has, h keeps its own and the error wraps ErrConflict;
// the rest is merged anyway. If all of o's live versions are newer than
// h's, h has missed a whole transition and adopts o's versions.
func (h *History) Merge(o *History) (bool, error) {
	changed, err := h.mergeVersions(o)
	if h.Trackers.Merge(o.Trackers) {
		changed = true
	}
	if changed {
		h.cleanup()
	}
	if h.Staging.Merge(o.Staging) {
		changed = true
	}
	return changed, err
}

func (h *History) mergeVersions(o *History) (bool, error) {
	if o.MinStored() > h.Current().Number && o.Versions[0].Valid() == nil {
		for _, v := range h.Versions {
			if v.Valid() == nil {
				h.Old = append(h.Old, v)
			}
		}
		h.Versions = nil
		for _, v := range o.Versions {
			h.Versions = append(h.Versions, v.Clone())
		}
		return true, nil
	}
	changed := false
	var errs []error
	for i := range o.Versions {
		ov := &o.Versions[i]
		switch mine, ok := h.Version(ov.Number); {
		case ov.Number == h.Current().Number+1:
			h.Versions = append(h.Versions, ov.Clone())
			changed = true
		case ok && !mine.Equal(ov):
			errs = append(errs, fmt.Errorf("merge layout: %w: version %d differs", ErrConflict, ov.Number))
		}
	}
	if len(errs) > 0 {
		return changed, errs[0]
	}
	return changed, nil
}
