package object

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/gogarage/garage/node/block"
	"github.com/gogarage/garage/node/model"
	"github.com/gogarage/garage/node/rt"
)

// EndpointRepairBlock asks a node to resync a block now (its block
// manager fetches it from a replica if it needs it and lacks it).
const EndpointRepairBlock = "object/repair-block"

// repairTree holds the repair queue: version id || block hash (zero for
// a version whose block list is gone) -> bucket id || object key.
const repairTree = "object/repair"

// repairItem is an object whose data could not be read.
type repairItem struct {
	version model.UUID
	block   block.Hash // zero: the version's block list is gone
	bucket  model.UUID
	key     string
}

func (it repairItem) treeKey() []byte { return append(bytes.Clone(it.version[:]), it.block[:]...) }

// queueRepair adds it to the repair queue and wakes the repair worker.
// It never fails the read that found the problem: a failure to queue is
// logged.
func (s *Service) queueRepair(it repairItem) {
	err := s.env.KV.Update(func(tx rt.Tx) error {
		return tx.Put(repairTree, it.treeKey(), append(bytes.Clone(it.bucket[:]), it.key...))
	})
	if err != nil {
		s.env.Log.Warn("object: queueing a repair failed", "bucket", it.bucket, "key", it.key, "err", err)
	}
}

// Repairs returns the number of queued repairs.
func (s *Service) Repairs() (int, error) {
	n := 0
	err := s.env.KV.View(func(tx rt.ReadTx) error {
		return tx.Scan(repairTree, nil, nil, false, func(_, _ []byte) bool { n++; return true })
	})
	return n, err
}

// RepairOnce works through the repair queue once. A missing block is
// queued for resync now on every node that should store it (its block
// manager fetches a good copy from a replica if one has it, else records
// the failure in its error list). A version whose block list is gone is
// checked again: healed (anti-entropy brought it back), or reported lost
// in the log. Items whose repair could not be asked stay queued. It
// returns how many items it handled.
func (s *Service) RepairOnce(ctx context.Context) (int, error) {
	items, err := s.repairItems()
	if err != nil {
		return 0, err
	}
	var errs []error
	n := 0
	for _, it := range items {
		if err := s.repair(ctx, it); err != nil {
			errs = append(errs, err)
			continue
		}
		n++
		if err := s.env.KV.Update(func(tx rt.Tx) error { return tx.Delete(repairTree, it.treeKey()) }); err != nil {
			errs = append(errs, err)
		}
	}
	return n, errors.Join(errs...)
}

func (s *Service) repairItems() ([]repairItem, error) {
	var out []repairItem
	err := s.env.KV.View(func(tx rt.ReadTx) error {
		return tx.Scan(repairTree, nil, nil, false, func(k, v []byte) bool {
			if len(k) == 64 && len(v) >= 32 {
				out = append(out, repairItem{version: model.UUID(k[:32]), block: block.Hash(k[32:]),
					bucket: model.UUID(v[:32]), key: string(v[32:])})
			}
			return len(out) < 100
		})
	})
	return out, err
}

func (s *Service) repair(ctx context.Context, it repairItem) error {
	if it.block != (block.Hash{}) {
		return s.repairBlock(ctx, it.block)
	}
	v, ok, err := s.t.Versions.Get(ctx, it.version[:], nil)
	if err != nil {
		return fmt.Errorf("repair %s/%s: %w", it.bucket, it.key, err)
	}
	if !ok || bool(v.Deleted) {
		s.env.Log.Error("object data lost: its version's block list is gone", "bucket", it.bucket, "key", it.key,
			"version", it.version, "found", ok, "deleted", bool(v.Deleted))
	}
	return nil
}

// repairBlock asks every node that should store h to resync it; one
// node acknowledging is enough to drop the item.
func (s *Service) repairBlock(ctx context.Context, h block.Hash) error {
	nodes := s.t.Replicas(h[:])
	_, err := rt.Quorum(ctx, s.env.Tasks, len(nodes), 1, func(ctx context.Context, i int) (struct{}, error) {
		_, err := s.env.Net.Call(ctx, nodes[i], EndpointRepairBlock, h[:], rt.CallOpts{Prio: rt.PrioBackground})
		return struct{}{}, err
	}, nil)
	if err != nil {
		return fmt.Errorf("repair block %s: %w", h, err)
	}
	return nil
}

// handleRepairBlock queues the resync of the block named in req.
func (s *Service) handleRepairBlock(_ context.Context, _ rt.NodeID, req []byte) ([]byte, error) {
	if s.blocks == nil {
		return nil, ErrNoBlockStorage
	}
	if len(req) != 32 {
		return nil, fmt.Errorf("repair block: %d bytes, want a 32-byte hash", len(req))
	}
	_, err := s.blocks.RetryNow(block.Hash(req))
	return nil, err
}

// repairLoop works through the repair queue every RepairRetry.
func (s *Service) repairLoop(ctx context.Context) {
	for s.env.Clock.Sleep(ctx, s.cfg.RepairRetry) == nil {
		if _, err := s.RepairOnce(ctx); err != nil && ctx.Err() == nil {
			s.env.Log.Info("object repair round failed", "err", err)
		}
	}
}
