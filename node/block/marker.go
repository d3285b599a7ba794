package block

import (
	"context"
	"errors"
	"fmt"
	"io/fs"

	"github.com/gogarage/garage/node/rt"
)

// markerName is a file written in every writable data directory once the
// node knows that the directory holds what its reference counts say. A
// marker missing while reference counts exist means the directory was
// wiped (or is new): every referenced block is queued for resync.
const markerName = "garage-block-marker"

// checkMarkers queues a full resync when a writable directory lost its
// marker and the node has reference counts, then writes the markers. The
// markers are written only after the queueing, so a crash in between
// queues again at the next start.
func (m *Manager) checkMarkers(ctx context.Context) error {
	missing := false
	for _, d := range m.st.dirs {
		if d.ReadOnly {
			continue
		}
		_, err := d.Files.Stat(markerName)
		if errors.Is(err, fs.ErrNotExist) {
			missing = true
		} else if err != nil {
			return fmt.Errorf("data directory marker: %w", err)
		}
	}
	if !missing {
		return nil
	}
	if err := m.restoreAll(ctx); err != nil {
		return err
	}
	for _, d := range m.st.dirs {
		if d.ReadOnly {
			continue
		}
		if err := d.Files.Write(markerName, []byte(m.env.ID), true); err != nil {
			return fmt.Errorf("write data directory marker: %w", err)
		}
	}
	return nil
}

// restoreAll queues every referenced block, if there is any.
func (m *Manager) restoreAll(ctx context.Context) error {
	var any bool
	err := m.env.KV.View(func(tx rt.ReadTx) error {
		keys, err := scanKeys(tx, treeRC, nil, 1)
		any = len(keys) > 0
		return err
	})
	if err != nil || !any {
		return err
	}
	n, err := m.enqueueAll(ctx)
	m.count(func(s *Stats) { s.RestoreQueued += uint64(n) })
	m.env.Log.Warn("block: data directory without marker: queued every referenced block for resync", "blocks", n)
	return err
}
