package garage

import (
	"context"
	"errors"
	"fmt"

	"github.com/gogarage/garage/node/block"
	"github.com/gogarage/garage/node/object"
)

// parseHash reads a block hash an operator typed.
func parseHash(s string) (block.Hash, error) {
	h, err := block.ParseHash(s)
	if err != nil {
		return h, badRequest("%v", err)
	}
	return h, nil
}

func errorInfo(e block.ErrorInfo) BlockErrorInfo {
	return BlockErrorInfo{Hash: e.Hash.String(), Count: e.Count, LastTry: e.LastTry, NextTry: e.NextTry}
}

// BlockErrors lists the blocks whose resync keeps failing on this node.
func (n *Node) BlockErrors() (BlockErrorsReply, error) {
	rep := BlockErrorsReply{Blocks: []BlockErrorInfo{}}
	if n.block == nil {
		return rep, object.ErrNoBlockStorage
	}
	es, err := n.block.Errors()
	for _, e := range es {
		rep.Blocks = append(rep.Blocks, errorInfo(e))
	}
	return rep, err
}

// BlockInfo returns what this node knows of block hash, and the versions
// that reference it (read from quorums).
func (n *Node) BlockInfo(ctx context.Context, hash string) (BlockInfoReply, error) {
	if n.block == nil {
		return BlockInfoReply{}, object.ErrNoBlockStorage
	}
	h, err := parseHash(hash)
	if err != nil {
		return BlockInfoReply{}, err
	}
	in, err := n.block.Info(h)
	if err != nil {
		return BlockInfoReply{}, fmt.Errorf("block %s: %w", h, err)
	}
	rep := BlockInfoReply{Hash: h.String(), RefCount: in.RefCount, DeleteAt: in.DeleteAt, Holds: in.Holds,
		Files: in.Files, QueuedAt: in.QueuedAt}
	if in.Error != nil {
		ei := errorInfo(*in.Error)
		rep.Error = &ei
	}
	users, err := n.objects.BlockUsers(ctx, h)
	for _, u := range users {
		rep.Users = append(rep.Users, userInfo(u))
	}
	return rep, err
}

func userInfo(u object.BlockUser) BlockUserInfo {
	ui := BlockUserInfo{Version: u.Version.String(), RefDeleted: u.RefDeleted, Found: u.Found, Deleted: u.Deleted}
	switch {
	case !u.Found:
	case u.Link.Upload:
		ui.Upload = u.Link.ID.String()
	default:
		ui.Bucket, ui.Key = u.Link.Bucket.String(), u.Link.Key
	}
	return ui
}

// blocksOf resolves req: its hashes, or every block in error.
func (n *Node) blocksOf(req BlocksRequest) ([]block.Hash, error) {
	if req.All == (len(req.Hashes) > 0) {
		return nil, badRequest("name blocks by hash, or ask for every block in error, not both nor neither")
	}
	var hs []block.Hash
	for _, s := range req.Hashes {
		h, err := parseHash(s)
		if err != nil {
			return nil, err
		}
		hs = append(hs, h)
	}
	if req.All {
		es, err := n.block.Errors()
		if err != nil {
			return nil, err
		}
		for _, e := range es {
			hs = append(hs, e.Hash)
		}
	}
	return hs, nil
}

// BlockRetryNow makes the blocks of req due for a resync now.
func (n *Node) BlockRetryNow(req BlocksRequest) (BlockRetryReply, error) {
	if n.block == nil {
		return BlockRetryReply{}, object.ErrNoBlockStorage
	}
	hs, err := n.blocksOf(req)
	if err != nil || len(hs) == 0 {
		return BlockRetryReply{}, err
	}
	k, err := n.block.RetryNow(hs...)
	return BlockRetryReply{Queued: k}, err
}

// BlockPurge gives up on the blocks of req, as Garage's `block purge`:
// the objects and uploads that use them are deleted (their data is
// lost), their references dropped, and this node stops resyncing them.
func (n *Node) BlockPurge(ctx context.Context, req BlocksRequest) (BlockPurgeReply, error) {
	if n.block == nil {
		return BlockPurgeReply{}, object.ErrNoBlockStorage
	}
	hs, err := n.blocksOf(req)
	if err != nil {
		return BlockPurgeReply{}, err
	}
	var rep BlockPurgeReply
	var errs []error
	for _, h := range hs {
		c, err := n.objects.PurgeBlock(ctx, h)
		rep.Objects, rep.Uploads, rep.Versions, rep.Refs = rep.Objects+c.Objects, rep.Uploads+c.Uploads,
			rep.Versions+c.Versions, rep.Refs+c.Refs
		if err == nil {
			err = n.block.Purge(h)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("purge block %s: %w", h, err))
			continue
		}
		rep.Blocks++
	}
	return rep, errors.Join(errs...)
}
