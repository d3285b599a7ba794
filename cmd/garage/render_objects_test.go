package main

import (
	"strings"
	"testing"
	"time"

	"github.com/gogarage/garage/node/block"
	"github.com/gogarage/garage/node/garage"
)

const (
	bucketID = "7e4a5d2b1c9e0f3a8b6c4d2e0f1a3b5c7d9e1f2a4b6c8d0e2f4a6b8c0d2e4f6a"
	keyID    = "GK31c2f218a2e44f485b94239e"
	key2ID   = "GK9a8b7c6d5e4f3a2b1c0d9e8f"
)

var created = time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC)

func testBucketInfo() garage.BucketInfoReply {
	return garage.BucketInfoReply{
		BucketSummary: garage.BucketSummary{ID: bucketID, Created: created, Aliases: []string{"photos", "pictures"},
			LocalAliases: []garage.LocalAliasInfo{{Key: keyID, Name: "mine"}}},
		Keys: []garage.BucketKeyInfo{{Key: keyID, Name: "deploy", Read: true, Write: true, Owner: true},
			{Key: key2ID, Name: "reader", Read: true}},
		Website: true, IndexDocument: "index.html", ErrorDocument: "404.html", HasCORS: true,
		MaxSize: 10e9, Objects: 1234, Bytes: 5_678_901_234, Uploads: 2,
	}
}

func testKeyInfo() garage.KeyInfoReply {
	return garage.KeyInfoReply{ID: keyID, Name: "deploy", AllowCreateBucket: true, Buckets: []garage.KeyBucketInfo{
		{ID: bucketID, Aliases: []string{"photos", "pictures"}, LocalAliases: []string{"mine"}, Read: true, Write: true, Owner: true},
		{ID: strings.Repeat("0f", 32), Read: true},
	}}
}

func testWorkers() []garage.WorkerInfo {
	q := func(n int) *int { return &n }
	d := func(s time.Duration) *time.Duration { return &s }
	return []garage.WorkerInfo{
		{ID: 1, Name: "debug_kv Merkle", State: garage.WorkerIdle, Done: 12, Queue: q(0), LastAgo: d(3 * time.Second)},
		{ID: 2, Name: "debug_kv sync", State: garage.WorkerIdle, Done: 4, Errors: 1, LastError: "timeout", LastAgo: d(61 * time.Second)},
		{ID: 3, Name: "object queue", State: garage.WorkerBusy, Done: 40, Queue: q(17), Errors: 3, Consecutive: 2,
			LastError: "table object: insert 17 entries: quorum not reached", LastAgo: d(400 * time.Millisecond)},
		{ID: 4, Name: "Block resync", State: garage.WorkerBusy, Tranquility: q(2), Done: 1021, Queue: q(118),
			Info: []string{"resync workers: 1"}},
		{ID: 5, Name: "Block scrub", State: garage.WorkerPaused, Tranquility: q(4), Done: 3000, Errors: 1},
		{ID: 6, Name: "Repair versions", State: garage.WorkerDone, Done: 5000, Info: []string{"done in 2s: 5000 versions checked"}},
	}
}

func TestRenderObjectsGolden(t *testing.T) {
	secret := testKeyInfo()
	secret.Secret = strings.Repeat("5e", 32)
	hash := block.Sum([]byte("x")).String()
	tests := []struct {
		name   string
		render func(*strings.Builder)
	}{
		{"bucket_info.golden", func(b *strings.Builder) { renderBucketInfo(b, testBucketInfo()) }},
		{"bucket_info_empty.golden", func(b *strings.Builder) {
			renderBucketInfo(b, garage.BucketInfoReply{BucketSummary: garage.BucketSummary{ID: bucketID, Created: created, Aliases: []string{"new"}}})
		}},
		{"bucket_list.golden", func(b *strings.Builder) {
			renderBucketList(b, []garage.BucketSummary{testBucketInfo().BucketSummary, {ID: strings.Repeat("0f", 32), Created: created}})
		}},
		{"key_info.golden", func(b *strings.Builder) { renderKeyInfo(b, testKeyInfo()) }},
		{"key_info_secret.golden", func(b *strings.Builder) { renderKeyInfo(b, secret) }},
		{"key_list.golden", func(b *strings.Builder) {
			renderKeyList(b, []garage.KeySummary{{ID: keyID, Name: "deploy"}, {ID: key2ID}})
		}},
		{"worker_list.golden", func(b *strings.Builder) { renderWorkerList(b, testWorkers()) }},
		{"worker_info.golden", func(b *strings.Builder) { renderWorkerInfo(b, testWorkers()[2]) }},
		{"block_info.golden", func(b *strings.Builder) {
			renderBlockInfo(b, garage.BlockInfoReply{Hash: hash, RefCount: 2, Holds: true,
				Files: []block.FileInfo{{Dir: 0, Name: hash[:2] + "/" + hash[2:4] + "/" + hash + ".zst", Size: 1234, Compressed: true}},
				Error: &garage.BlockErrorInfo{Hash: hash, Count: 3, LastTry: created, NextTry: created.Add(time.Minute)},
				Users: []garage.BlockUserInfo{{Version: strings.Repeat("1a", 32), Found: true, Bucket: bucketID, Key: "cat.jpg"},
					{Version: strings.Repeat("2b", 32), Found: true, Deleted: true},
					{Version: strings.Repeat("3c", 32), Found: true, Upload: strings.Repeat("4d", 32)}}})
		}},
		{"stats.golden", func(b *strings.Builder) {
			renderStats(b, garage.StatsReply{Nodes: []garage.NodeStats{{Node: ids[0], Hostname: "alpha",
				Tables:  []garage.TableStats{{Table: "bucket_v2", Items: 3}, {Table: "object", Items: 1234, MerkleTodo: 5, InsertQueue: 1}},
				Blocks:  &garage.BlockStats{RCEntries: 3000, Files: 2990, Bytes: 3_000_000_000, ResyncQueue: 10, ResyncErrors: 1},
				Objects: 1234, Bytes: 5_678_901_234}, {Node: ids[3], Error: "node 4d5e6f708192a3b4: rpc: peer unreachable"}},
				Cluster: garage.ClusterStats{Buckets: 2, Keys: 3, Objects: 1234, Bytes: 5_678_901_234, Uploads: 2}}, testStatus())
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			tt.render(&b)
			golden(t, tt.name, b.String())
		})
	}
}
