package daemon

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/gogarage/garage/node/admin"
	"github.com/gogarage/garage/node/model"
)

// singleAdmin starts a one-node cluster (RF 1, layout applied) serving
// the admin API with both tokens.
func singleAdmin(t *testing.T) *Daemon {
	t.Helper()
	cfg := testConfig(t, t.TempDir(), testSecret(9))
	cfg.ReplicationFactor = 1
	cfg.Admin = Admin{APIBindAddr: freeAddr(t), AdminToken: adminToken, MetricsToken: metricsToken}
	d := startDaemon(t, cfg)
	if _, err := d.EnsureSingleLayout(); err != nil {
		t.Fatal(err)
	}
	return d
}

// step is one admin API call and what its reply must hold.
type step struct {
	method, path, body string
	status             int
	want               string
}

// run performs the steps in order, each with the admin token.
func run(t *testing.T, d *Daemon, steps []step) {
	t.Helper()
	for _, s := range steps {
		status, body := call(t, d, s.method, s.path, adminToken, s.body)
		if status != s.status || !strings.Contains(body, s.want) {
			t.Fatalf("%s %s %s: got %d %s; want %d and %q", s.method, s.path, s.body, status, body, s.status, s.want)
		}
		if !json.Valid([]byte(body)) {
			t.Fatalf("%s %s: reply is not JSON: %s", s.method, s.path, body)
		}
	}
}

// decode calls the admin API and decodes its 200 reply into v.
func decode(t *testing.T, d *Daemon, method, path, body string, v any) {
	t.Helper()
	status, reply := call(t, d, method, path, adminToken, body)
	if status != http.StatusOK {
		t.Fatalf("%s %s: %d %s", method, path, status, reply)
	}
	if err := json.Unmarshal([]byte(reply), v); err != nil {
		t.Fatalf("%s %s: %v in %s", method, path, err, reply)
	}
}

// TestAdminAPIOperationsNeedTheToken calls every /v2 operation without a
// token and with a wrong one: 401 and 403, and nothing changes.
func TestAdminAPIOperationsNeedTheToken(t *testing.T) {
	d := singleAdmin(t)
	ops := []string{"ListBuckets", "GetBucketInfo", "CreateBucket", "UpdateBucket", "DeleteBucket", "AddBucketAlias",
		"RemoveBucketAlias", "AllowBucketKey", "DenyBucketKey", "ListKeys", "GetKeyInfo", "CreateKey", "ImportKey",
		"UpdateKey", "DeleteKey", "ListWorkers", "GetWorkerInfo", "GetWorkerVariable", "SetWorkerVariable",
		"ListBlockErrors", "GetBlockInfo", "RetryBlockResync", "PurgeBlocks", "LaunchRepairOperation",
		"GetRepairStatus", "GetNodeStatistics", "GetClusterStatistics"}
	for _, op := range ops {
		for _, tt := range []struct {
			token  string
			status int
		}{{"", http.StatusUnauthorized}, {"wrong-token", http.StatusForbidden}, {metricsToken, http.StatusForbidden}} {
			status, body := call(t, d, http.MethodPost, "/v2/"+op, tt.token, `{"globalAlias": "sneaky", "name": "sneaky"}`)
			if status != tt.status || !json.Valid([]byte(body)) {
				t.Errorf("%s with token %q: %d %s, want %d", op, tt.token, status, body, tt.status)
			}
		}
	}
	run(t, d, []step{
		{"GET", "/v2/ListBuckets", "", 200, "[]"},
		{"GET", "/v2/ListKeys", "", 200, "[]"},
	})
}

// TestAdminAPIBucketsAndKeys drives buckets and keys through the admin
// API alone, with the operator's mistakes along the way.
func TestAdminAPIBucketsAndKeys(t *testing.T) {
	d := singleAdmin(t)
	var key admin.KeyInfo
	decode(t, d, "POST", "/v2/CreateKey", `{"name": "deploy"}`, &key)
	if key.SecretAccessKey == nil || !strings.HasPrefix(key.AccessKeyID, "GK") {
		t.Fatalf("CreateKey: %+v", key)
	}
	var b admin.BucketInfo
	decode(t, d, "POST", "/v2/CreateBucket", `{"globalAlias": "photos"}`, &b)
	kid, bid := key.AccessKeyID, b.ID
	run(t, d, []step{
		{"POST", "/v2/CreateBucket", `{"globalAlias": "photos"}`, 409, "BucketAlreadyExists"},
		{"POST", "/v2/CreateBucket", `{"globalAlias": "Bad_Name"}`, 400, "invalid name"},
		{"POST", "/v2/CreateBucket", `{}`, 400, "globalAlias missing"},
		{"POST", "/v2/CreateBucket", `{"globalAlias": "x", "bogus": 1}`, 400, "unknown field"},
		{"GET", "/v2/GetBucketInfo?globalAlias=nope", "", 404, "NoSuchBucket"},
		{"GET", "/v2/GetBucketInfo", "", 400, "?id="},
		{"POST", "/v2/AllowBucketKey", fmt.Sprintf(`{"bucketId": %q, "accessKeyId": %q, "permissions": {"read": true, "write": true}}`, bid, kid),
			200, `"read": true`},
		{"POST", "/v2/AllowBucketKey", fmt.Sprintf(`{"bucketId": %q, "accessKeyId": "GKnope", "permissions": {"read": true}}`, bid),
			404, "NoSuchAccessKey"},
		{"POST", "/v2/AllowBucketKey", fmt.Sprintf(`{"bucketId": %q, "accessKeyId": %q, "permissions": {}}`, bid, kid), 400, "set read"},
		{"POST", "/v2/DenyBucketKey", fmt.Sprintf(`{"bucketId": %q, "accessKeyId": %q, "permissions": {"write": true}}`, bid, kid),
			200, `"write": false`},
		{"POST", "/v2/UpdateBucket?id=" + bid, `{"websiteAccess": {"enabled": true, "indexDocument": "index.html"}, "quotas": {"maxSize": 1000000, "maxObjects": null}}`,
			200, `"maxSize": 1000000`},
		{"POST", "/v2/AddBucketAlias", fmt.Sprintf(`{"bucketId": %q, "globalAlias": "pics"}`, bid), 200, `"pics"`},
		{"POST", "/v2/AddBucketAlias", fmt.Sprintf(`{"bucketId": %q, "accessKeyId": %q, "localAlias": "mine"}`, bid, kid), 200, `"mine"`},
		{"POST", "/v2/RemoveBucketAlias", fmt.Sprintf(`{"bucketId": %q, "globalAlias": "pics"}`, bid), 200, `"globalAliases": [` + "\n" + `    "photos"` + "\n  ]"},
		{"POST", "/v2/RemoveBucketAlias", fmt.Sprintf(`{"bucketId": %q}`, bid), 400, "give globalAlias"},
		{"GET", "/v2/GetBucketInfo?search=" + bid[:10], "", 200, `"websiteAccess": true`},
		{"GET", "/v2/ListBuckets", "", 200, `"alias": "mine"`},
		{"GET", "/v2/GetKeyInfo?search=deploy", "", 200, `"secretAccessKey": null`},
		{"GET", "/v2/GetKeyInfo?id=" + kid + "&showSecretKey=true", "", 200, *key.SecretAccessKey},
		{"POST", "/v2/UpdateKey?id=" + kid, `{"name": "ci", "allow": {"createBucket": true}}`, 200, `"createBucket": true`},
		{"POST", "/v2/ImportKey", fmt.Sprintf(`{"accessKeyId": "GK0123456789abcdef01234567", "secretAccessKey": %q, "name": "old"}`, strings.Repeat("ab", 32)),
			200, `"name": "old"`},
		{"POST", "/v2/ImportKey", `{"accessKeyId": "nope", "secretAccessKey": "x"}`, 400, "InvalidRequest"},
		{"GET", "/v2/GetKeyInfo?search=GK", "", 400, "ambiguous"},
		{"GET", "/v2/ListKeys", "", 200, `"name": "ci"`},
	})
	testBucketContents(t, d, bid, kid)
}

// testBucketContents puts an object: the bucket's counters show it, it
// cannot be deleted until the object goes; then the key and bucket go.
func testBucketContents(t *testing.T, d *Daemon, bid, kid string) {
	id, err := model.ParseUUID(bid)
	if err != nil {
		t.Fatal(err)
	}
	data := bytes.Repeat([]byte("x"), 100_000)
	if _, err := d.Node().Objects().Put(context.Background(), id, "big", bytes.NewReader(data), model.Meta{}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the bucket's counters see the object", func() error {
		var b admin.BucketInfo
		decode(t, d, "GET", "/v2/GetBucketInfo?id="+bid, "", &b)
		if b.Objects != 1 || b.Bytes != int64(len(data)) {
			return fmt.Errorf("objects %d, bytes %d", b.Objects, b.Bytes)
		}
		return nil
	})
	run(t, d, []step{
		{"POST", "/v2/DeleteBucket?id=" + bid, "", 409, "BucketNotEmpty"},
		{"GET", "/v2/GetBucketInfo?id=" + bid, "", 200, `"objects": 1`},
	})
	if _, err := d.Node().Objects().Delete(context.Background(), id, "big"); err != nil {
		t.Fatal(err)
	}
	run(t, d, []step{
		{"POST", "/v2/DeleteKey?id=" + kid, "", 200, "{}"},
		{"GET", "/v2/GetKeyInfo?id=" + kid, "", 404, "NoSuchAccessKey"},
		{"POST", "/v2/DeleteBucket", "", 400, "?id="},
		{"POST", "/v2/DeleteBucket?id=" + bid, "", 200, "{}"},
		{"GET", "/v2/ListBuckets", "", 200, "[]"},
	})
}

// TestAdminAPIMaintenance drives workers, blocks, repairs and statistics
// through the admin API, on the node itself and on "*".
func TestAdminAPIMaintenance(t *testing.T) {
	d := singleAdmin(t)
	self := string(d.ID())
	var b admin.BucketInfo
	decode(t, d, "POST", "/v2/CreateBucket", `{"globalAlias": "maint"}`, &b)
	id, _ := model.ParseUUID(b.ID)
	data := bytes.Repeat([]byte("0123456789"), 20_000)
	info, err := d.Node().Objects().Put(context.Background(), id, "obj", bytes.NewReader(data), model.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	o, _, err := d.Node().Objects().Tables().Versions.Get(context.Background(), info.Version[:], nil)
	if err != nil || o.Blocks.Len() == 0 {
		t.Fatalf("version of the object: %v", err)
	}
	hash := o.BlockList()[0].Hash.String()
	run(t, d, []step{
		{"POST", "/v2/ListWorkers", "", 200, `"name": "Block resync"`},
		{"POST", "/v2/ListWorkers?node=*", `{"busyOnly": true}`, 200, `"success": {`},
		{"POST", "/v2/ListWorkers?node=ffff", "", 404, "NoSuchNode"},
		{"POST", "/v2/GetWorkerInfo?node=" + self[:8], `{"id": 1}`, 200, `"name": "debug_kv Merkle"`},
		{"POST", "/v2/GetWorkerInfo", `{"id": 9999}`, 200, `"no worker with this id"`},
		{"POST", "/v2/GetWorkerVariable", `{"variable": "scrub-tranquility"}`, 200, `"scrub-tranquility": "4"`},
		{"POST", "/v2/SetWorkerVariable", `{"variable": "resync-tranquility", "value": "7"}`, 200, `"value": "7"`},
		{"POST", "/v2/SetWorkerVariable", `{"variable": "resync-worker-count", "value": "0"}`, 200, "at least 1"},
		{"POST", "/v2/GetWorkerVariable", "", 200, `"resync-tranquility": "7"`},
		{"GET", "/v2/ListBlockErrors", "", 200, `"` + self + `": []`},
		{"POST", "/v2/GetBlockInfo", fmt.Sprintf(`{"blockHash": %q}`, hash), 200, `"key": "obj"`},
		{"POST", "/v2/GetBlockInfo", `{"blockHash": "00"}`, 200, "64 hex digits"},
		{"POST", "/v2/RetryBlockResync", `{"all": true}`, 200, `"count": 0`},
		{"POST", "/v2/LaunchRepairOperation", `{"repairType": "versions"}`, 200, `"launched": true`},
		{"POST", "/v2/LaunchRepairOperation", `{"repairType": {"scrub": "start"}}`, 200, `"running": true`},
		{"POST", "/v2/LaunchRepairOperation", `{"repairType": "everything"}`, 200, "unknown repair"},
		{"POST", "/v2/LaunchRepairOperation", `{"repairType": 3}`, 400, "repairType"},
		{"GET", "/v2/GetNodeStatistics", "", 200, `"table": "block_ref"`},
	})
	eventually(t, "the cluster's statistics count the object", func() error {
		if _, body := call(t, d, "GET", "/v2/GetClusterStatistics", adminToken, ""); !strings.Contains(body, `"objects": 1`) {
			return fmt.Errorf("%s", body)
		}
		return nil
	})
	eventually(t, "repair versions ends", func() error {
		_, body := call(t, d, "GET", "/v2/GetRepairStatus?repairType=versions", adminToken, "")
		if !strings.Contains(body, `"progress": "done in`) {
			return fmt.Errorf("%s", body)
		}
		return nil
	})
	run(t, d, []step{
		{"POST", "/v2/PurgeBlocks", "[]", 400, "list of block hashes"},
		{"POST", "/v2/PurgeBlocks", fmt.Sprintf("[%q]", hash), 200, `"blocksPurged": 1`},
	})
}

// TestMetricsMoveWithObjects checks that the block and object metrics
// follow a put: objects, bytes, reference counts, blocks written.
func TestMetricsMoveWithObjects(t *testing.T) {
	d := singleAdmin(t)
	var b admin.BucketInfo
	decode(t, d, "POST", "/v2/CreateBucket", `{"globalAlias": "metered"}`, &b)
	decode(t, d, "POST", "/v2/CreateKey", `{"name": "k"}`, &admin.KeyInfo{})
	before := scrape(t, d)
	id, _ := model.ParseUUID(b.ID)
	data := bytes.Repeat([]byte("metrics!"), 50_000)
	if _, err := d.Node().Objects().Put(context.Background(), id, "o", bytes.NewReader(data), model.Meta{}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the object metrics move", func() error {
		after := scrape(t, d)
		for _, m := range []string{"object_count", "object_bytes", "block_rc_entries", "block_bytes_written", "block_written_counter"} {
			if after[m] <= before[m] {
				return fmt.Errorf("%s did not move: %v then %v", m, before[m], after[m])
			}
		}
		if after["bucket_count"] != 1 || after["key_count"] != 1 || after["object_bytes"] != float64(len(data)) {
			return fmt.Errorf("bucket_count %v, key_count %v, object_bytes %v", after["bucket_count"], after["key_count"], after["object_bytes"])
		}
		for _, m := range []string{"block_resync_queue_length", "block_resync_errored_blocks", "block_stored_bytes",
			`table_insert_queue_length{table_name="version"}`} {
			if _, ok := after[m]; !ok {
				return fmt.Errorf("no %s", m)
			}
		}
		return nil
	})
}
