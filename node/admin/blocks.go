package admin

import (
	"context"
	"net/http"
	"time"

	"github.com/gogarage/garage/node/garage"
)

// blockOps registers the block operations of Garage v2's admin API.
func (s *Server) blockOps(ops map[string]op) {
	ops["ListBlockErrors"] = op{http.MethodGet, func(r *http.Request) (any, error) {
		return perNode(s, r, func(ctx context.Context, a *garage.Admin) ([]BlockError, error) {
			es, err := a.BlockErrors(ctx)
			out := []BlockError{}
			for _, e := range es {
				out = append(out, blockErrorOf(e))
			}
			return out, err
		})
	}}
	ops["GetBlockInfo"] = op{http.MethodPost, s.blockInfo}
	ops["RetryBlockResync"] = op{http.MethodPost, s.retryBlocks}
	ops["PurgeBlocks"] = op{http.MethodPost, s.purgeBlocks}
}

// BlockError is a block whose resync keeps failing.
type BlockError struct {
	BlockHash  string    `json:"blockHash"`
	ErrorCount uint64    `json:"errorCount"`
	LastTry    time.Time `json:"lastTry"`
	NextTry    time.Time `json:"nextTry"`
}

func blockErrorOf(e garage.BlockErrorInfo) BlockError {
	return BlockError{BlockHash: e.Hash, ErrorCount: e.Count, LastTry: e.LastTry, NextTry: e.NextTry}
}

// BlockInfoReq is GetBlockInfo's request.
type BlockInfoReq struct {
	BlockHash string `json:"blockHash"`
}

// BlockVersion is a version that references a block.
type BlockVersion struct {
	VersionID        string         `json:"versionId"`
	RefDeleted       bool           `json:"refDeleted"`
	Deleted          bool           `json:"deleted"`
	GarbageCollected bool           `json:"garbageCollected"` // the version is gone
	Backlink         *BlockBacklink `json:"backlink"`
}

// BlockBacklink is what a version belongs to: an object or an upload.
type BlockBacklink struct {
	Object *struct {
		BucketID string `json:"bucketId"`
		Key      string `json:"key"`
	} `json:"object,omitempty"`
	Upload *struct {
		UploadID string `json:"uploadId"`
	} `json:"upload,omitempty"`
}

// BlockInfo is what a node knows of a block.
type BlockInfo struct {
	BlockHash string         `json:"blockHash"`
	Refcount  uint64         `json:"refcount"`
	Stored    bool           `json:"stored"` // the node has a file of it
	Versions  []BlockVersion `json:"versions"`
	Error     *BlockError    `json:"error"`
}

func (s *Server) blockInfo(r *http.Request) (any, error) {
	var req BlockInfoReq
	if err := decodeBody(r, &req); err != nil {
		return nil, err
	}
	return perNode(s, r, func(ctx context.Context, a *garage.Admin) (BlockInfo, error) {
		in, err := a.BlockInfo(ctx, req.BlockHash)
		if err != nil {
			return BlockInfo{}, err
		}
		out := BlockInfo{BlockHash: in.Hash, Refcount: in.RefCount, Stored: len(in.Files) > 0, Versions: []BlockVersion{}}
		if in.Error != nil {
			e := blockErrorOf(*in.Error)
			out.Error = &e
		}
		for _, u := range in.Users {
			out.Versions = append(out.Versions, blockVersionOf(u))
		}
		return out, nil
	})
}

func blockVersionOf(u garage.BlockUserInfo) BlockVersion {
	v := BlockVersion{VersionID: u.Version, RefDeleted: u.RefDeleted, Deleted: u.Deleted, GarbageCollected: !u.Found}
	switch {
	case u.Upload != "":
		v.Backlink = &BlockBacklink{Upload: &struct {
			UploadID string `json:"uploadId"`
		}{u.Upload}}
	case u.Found:
		v.Backlink = &BlockBacklink{Object: &struct {
			BucketID string `json:"bucketId"`
			Key      string `json:"key"`
		}{u.Bucket, u.Key}}
	}
	return v
}

// RetryBlocksReq is RetryBlockResync's request: every block in error, or
// the blocks named.
type RetryBlocksReq struct {
	All         bool     `json:"all"`
	BlockHashes []string `json:"blockHashes"`
}

// BlockCount is the count of blocks an operation took.
type BlockCount struct {
	Count int `json:"count"`
}

func (s *Server) retryBlocks(r *http.Request) (any, error) {
	var req RetryBlocksReq
	if err := decodeBody(r, &req); err != nil {
		return nil, err
	}
	return perNode(s, r, func(ctx context.Context, a *garage.Admin) (BlockCount, error) {
		n, err := a.BlockRetryNow(ctx, garage.BlocksRequest{All: req.All, Hashes: req.BlockHashes})
		return BlockCount{Count: n}, err
	})
}

// PurgeResult is what PurgeBlocks deleted on a node.
type PurgeResult struct {
	BlocksPurged    int `json:"blocksPurged"`
	ObjectsDeleted  int `json:"objectsDeleted"`
	UploadsDeleted  int `json:"uploadsDeleted"`
	VersionsDeleted int `json:"versionsDeleted"`
}

// purgeBlocks takes the list of hashes to purge, as Garage v2.
func (s *Server) purgeBlocks(r *http.Request) (any, error) {
	var hashes []string
	if err := decodeBody(r, &hashes); err != nil {
		return nil, err
	}
	if len(hashes) == 0 {
		return nil, badRequest("the body is the list of block hashes to purge")
	}
	return perNode(s, r, func(ctx context.Context, a *garage.Admin) (PurgeResult, error) {
		rep, err := a.BlockPurge(ctx, garage.BlocksRequest{Hashes: hashes})
		return PurgeResult{BlocksPurged: rep.Blocks, ObjectsDeleted: rep.Objects, UploadsDeleted: rep.Uploads,
			VersionsDeleted: rep.Versions}, err
	})
}
