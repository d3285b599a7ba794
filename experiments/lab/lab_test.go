package lab

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gogarage/garage/experiments/realproc"
	"github.com/gogarage/garage/experiments/workload"
)

const (
	testID     = "b4f1d6bd4c3e0c4a9f3c8b7f2f1e4a5d6c7b8a9f0e1d2c3b4a5f6e7d8c9b0a1f"
	testSecret = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
)

func writeFile(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestReadTarget(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "secret", testSecret+"\n")
	writeFile(t, dir, "s3secret", "s3-secret\n")
	node := "\n[[node]]\nrpc = \"" + testID + "@10.0.0.1:3901\"\ns3 = \"http://10.0.0.1:3900\"\n"
	s3 := "\n[s3]\nbucket = \"xp\"\naccess_key_id = \"GKx\"\nsecret_access_key_file = \"s3secret\"\n"
	good := writeFile(t, dir, "good.toml", "rpc_secret_file = \"secret\"\nrtt = \"100ms\"\njitter = \"20ms\"\n"+s3+node+
		"\n[zone_failure]\ndown = \"echo down {zone}\"\nup = \"echo up {zone}\"\n")
	tg, err := ReadTarget(good)
	if err != nil {
		t.Fatal(err)
	}
	if tg.RTT != 100*time.Millisecond || tg.Jitter != 20*time.Millisecond || len(tg.Nodes) != 1 || tg.ZoneFailure == nil {
		t.Errorf("parsed %+v", tg)
	}
	if a := tg.access(); a.Secret != "s3-secret" || a.Region != "garage" || a.Bucket != "xp" || a.Endpoints[0] != "http://10.0.0.1:3900" {
		t.Errorf("S3 access %+v", a)
	}
	d := tg.Describe()
	if d["rpc"].([]string)[0] != testID+"@10.0.0.1:3901" || d["s3"].([]string)[0] != "http://10.0.0.1:3900" {
		t.Errorf("Describe: %v", d)
	}
	if desc := fmt.Sprint(d); strings.Contains(desc, testSecret) || strings.Contains(desc, "s3-secret") {
		t.Errorf("Describe tells a secret: %v", d)
	}
	secret := "rpc_secret = \"" + testSecret + "\"\n"
	for _, tc := range []struct{ body, want string }{
		{secret + s3, "no [[node]]"},
		{"rpc_secret = \"abc\"\n" + s3 + node, "rpc_secret"},
		{secret + s3 + "\n[[node]]\nrpc = \"10.0.0.1:3901\"\n", "node 1: rpc"},
		{secret + "frobnicate = 1\n" + s3 + node, "unknown key"},
		{secret + "rpc_secret_file = \"secret\"\n" + s3 + node, "not both"},
		{secret + s3 + node + "\n[zone_failure]\ndown = \"x\"\n", "both down and up"},
		{secret + node, "no [s3]"},
		{secret + "\n[s3]\nbucket = \"xp\"\naccess_key_id = \"GKx\"\n" + node, "secret_access_key"},
		{secret + "\n[s3]\naccess_key_id = \"GKx\"\nsecret_access_key = \"s\"\n" + node, "bucket"},
		{secret + s3 + "\n[[node]]\nrpc = \"" + testID + "@10.0.0.1:3901\"\n", "s3 endpoint"},
	} {
		_, err := ReadTarget(writeFile(t, dir, "bad.toml", tc.body))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want %q", tc.body, err, tc.want)
		}
	}
}

// TestTargetFile reads back the target file of a cluster as cluster up
// records it.
func TestTargetFile(t *testing.T) {
	info := realproc.ClusterInfo{Dir: "/tmp/c", RPCSecret: testSecret, Bucket: "b",
		Key:   &realproc.S3Key{Name: "k", ID: "GKk", Secret: "sk"},
		Nodes: []realproc.NodeInfo{{Name: "n1", Zone: "z1", RPC: testID + "@127.0.0.1:3901", S3: "http://127.0.0.1:3900"}}}
	path := filepath.Join(t.TempDir(), "target.toml")
	if err := WriteTargetFile(path, info, 20*time.Millisecond, 4*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	tg, err := ReadTarget(path)
	if err != nil {
		t.Fatal(err)
	}
	if a := tg.access(); tg.RTT != 20*time.Millisecond || !tg.AllowLayoutChanges || a.Secret != "sk" || a.Endpoints[0] != info.Nodes[0].S3 ||
		tg.secret[0] != 0x01 || tg.IntraZoneRTT != loopbackRTT {
		t.Errorf("read back %+v, access %+v", tg, a)
	}
	if _, err := TargetFile(realproc.ClusterInfo{}, 0, 0); err == nil {
		t.Error("a cluster without a bucket gave a target file")
	}
}

func TestGoal(t *testing.T) {
	for _, tc := range []struct {
		g    Goal
		met  bool
		line string
	}{
		{Goal{Name: "mean latency", Subject: "GetObject", Value: 98.4, Cmp: AtMost, Limit: 110, Unit: "ms"}, true,
			"goal met    GetObject mean latency: 98.4 ms <= 110 ms"},
		{Goal{Name: "mean latency", Subject: "PutObject", Value: 196, Cmp: AtMost, Limit: 110, Unit: "ms", Note: "two round trips"}, false,
			"goal missed PutObject mean latency: 196 ms <= 110 ms — two round trips"},
		{Goal{Name: "success", Subject: "GetObject", Value: 98, Cmp: AtLeast, Limit: 99, Unit: "%"}, false,
			"goal missed GetObject success: 98 % >= 99 %"},
		{Goal{Name: "moved", Subject: "node-join", Value: 128, Cmp: Equal, Limit: 128}, true,
			"goal met    node-join moved: 128 == 128"},
	} {
		if tc.g.Met() != tc.met || tc.g.String() != tc.line {
			t.Errorf("got %t %q, want %t %q", tc.g.Met(), tc.g.String(), tc.met, tc.line)
		}
	}
}

func TestBuckets(t *testing.T) {
	ms := time.Millisecond
	ops := []workload.Op{
		{Kind: "get", OK: true, Start: 1000 * ms, End: 1100 * ms},
		{Kind: "get", OK: false, Start: 1200 * ms, End: 6200 * ms},
		{Kind: "put", OK: true, Start: 1300 * ms, End: 1500 * ms},
		{Kind: "get", OK: true, Start: 2500 * ms, End: 2590 * ms},
		{Kind: "get", OK: true, Start: 900 * ms, End: 990 * ms},                // before t0
		{Kind: "get", OK: true, Final: true, Start: 3000 * ms, End: 3100 * ms}, // a final read
	}
	got := Buckets(ops, 1000*ms, time.Second)
	want := []Bucket{{0, "GetObject", 2, 1, 100 * ms, 100 * ms}, {0, "PutObject", 1, 1, 200 * ms, 200 * ms},
		{time.Second, "GetObject", 1, 1, 90 * ms, 90 * ms}}
	if len(got) != len(want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("bucket %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
	if Pct(1, 3) != 33.33 || Pct(0, 0) != 100 {
		t.Errorf("Pct: %v %v", Pct(1, 3), Pct(0, 0))
	}
}
