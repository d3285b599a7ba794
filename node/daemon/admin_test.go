package daemon

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/gogarage/garage/node/host/secconn"
)

const (
	adminToken   = "admin-secret-token"
	metricsToken = "metrics-secret-token"
)

// adminDaemon starts a daemon serving the admin API with both tokens.
func adminDaemon(t *testing.T, secret [secconn.SecretSize]byte, boot ...string) *Daemon {
	t.Helper()
	cfg := testConfig(t, t.TempDir(), secret, boot...)
	cfg.Admin = Admin{APIBindAddr: freeAddr(t), AdminToken: adminToken, MetricsToken: metricsToken}
	return startDaemon(t, cfg)
}

// call sends an admin API request and returns the status and body.
func call(t *testing.T, d *Daemon, method, path, token, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, "http://"+d.AdminAddr()+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestAdminAPIAuth(t *testing.T) {
	d := adminDaemon(t, testSecret(4))
	tests := []struct {
		path, token string
		status      int
		code        string
	}{
		{"/v2/GetClusterStatus", "", http.StatusUnauthorized, `"code": "Unauthorized"`},
		{"/v2/GetClusterStatus", "wrong", http.StatusForbidden, `"code": "Forbidden"`},
		{"/v2/GetClusterStatus", metricsToken, http.StatusForbidden, `"code": "Forbidden"`},
		{"/v2/GetClusterStatus", adminToken, http.StatusOK, `"layoutVersion": 0`},
		{"/metrics", "", http.StatusUnauthorized, `"code": "Unauthorized"`},
		{"/metrics", adminToken, http.StatusForbidden, `"code": "Forbidden"`},
		{"/metrics", metricsToken, http.StatusOK, "cluster_layout_version 0"},
		{"/health", "", http.StatusServiceUnavailable, "no cluster layout has been applied yet"},
		{"/v2/NoSuchThing", adminToken, http.StatusNotFound, `"code": "NoSuchEndpoint"`},
	}
	for _, tt := range tests {
		status, body := call(t, d, http.MethodGet, tt.path, tt.token, "")
		if status != tt.status || !strings.Contains(body, tt.code) {
			t.Errorf("GET %s with %q: got %d %s; want %d and %s", tt.path, tt.token, status, body, tt.status, tt.code)
		}
	}
	// No admin_token configured: the /v2 endpoints are disabled.
	cfg := testConfig(t, t.TempDir(), testSecret(4))
	cfg.Admin.APIBindAddr = freeAddr(t)
	open := startDaemon(t, cfg)
	if status, body := call(t, open, http.MethodGet, "/v2/GetClusterHealth", "", ""); status != http.StatusForbidden || !strings.Contains(body, "admin_token") {
		t.Errorf("without admin_token: got %d %s; want 403 naming admin_token", status, body)
	}
	if status, _ := call(t, open, http.MethodGet, "/metrics", "", ""); status != http.StatusOK {
		t.Errorf("without metrics_token: /metrics gave %d, want 200 (open)", status)
	}
}

// TestAdminAPILayout drives a cluster's layout through the HTTP API
// alone: update, revert, update, apply, and the operator's mistakes.
func TestAdminAPILayout(t *testing.T) {
	secret := testSecret(5)
	first := adminDaemon(t, secret)
	ds := []*Daemon{first}
	for range 2 {
		ds = append(ds, adminDaemon(t, secret, string(first.ID())+"@"+first.Addr()))
	}
	waitUp(t, 3, dialDaemon(t, first, secret))
	var roles []string
	for i, d := range ds {
		roles = append(roles, fmt.Sprintf(`{"id": %q, "zone": "dc%d", "capacity": 1000000000, "tags": ["t%d"]}`, d.ID(), i, i))
	}
	update := `{"roles": [` + strings.Join(roles, ",") + `], "parameters": {"zoneRedundancy": {"atLeast": 2}}}`
	steps := []struct {
		method, op, body string
		status           int
		want             string
	}{
		{"GET", "GetClusterLayout", "", 200, `"stagedRoleChanges": []`},
		{"POST", "RevertClusterLayout", "", 400, "no layout change is staged"},
		{"POST", "ApplyClusterLayout", `{"version": 1}`, 400, "no layout change is staged"},
		{"POST", "UpdateClusterLayout", update, 200, `"zone": "dc2"`},
		{"POST", "RevertClusterLayout", "", 200, `"stagedRoleChanges": []`},
		{"POST", "UpdateClusterLayout", update, 200, `"stagedParameters": {`},
		{"GET", "UpdateClusterLayout", "", 405, "MethodNotAllowed"},
		{"POST", "UpdateClusterLayout", `{"roles": [{"id": "abc", "zone": "x"}]}`, 400, "want a full node id"},
		{"POST", "UpdateClusterLayout", `{"rolez": []}`, 400, "unknown field"},
		{"POST", "ApplyClusterLayout", `{"version": 99}`, 400, "InvalidRequest"},
		{"POST", "ApplyClusterLayout", `{}`, 400, "version missing"},
		{"POST", "ApplyClusterLayout", `{"version": 1}`, 200, `"version": 1`},
		{"GET", "GetClusterLayout", "", 200, `"storedPartitions": 256`},
		{"GET", "GetClusterStatus", "", 200, `"isUp": true`},
		{"GET", "GetClusterHealth", "", 200, `"partitionsQuorum": 256`},
	}
	for _, s := range steps {
		status, body := call(t, first, s.method, "/v2/"+s.op, adminToken, s.body)
		if status != s.status || !strings.Contains(body, s.want) {
			t.Fatalf("%s %s %s: got %d %s; want %d and %q", s.method, s.op, s.body, status, body, s.status, s.want)
		}
		if status >= 400 && !json.Valid([]byte(body)) {
			t.Errorf("%s: error body is not JSON: %s", s.op, body)
		}
	}
	eventually(t, "every node's /health says 200", func() error {
		for i, d := range ds {
			if status, body := call(t, d, "GET", "/health", "", ""); status != 200 {
				return fmt.Errorf("node %d: %d %s", i, status, body)
			}
		}
		return nil
	})
	testMetricsMove(t, first, dialDaemon(t, first, secret))
	// Quorum lost: two of three nodes down, /health turns 503.
	ds[1].Close()
	ds[2].Close()
	eventually(t, "/health turns unhealthy", func() error {
		status, body := call(t, first, "GET", "/health", "", "")
		if status != http.StatusServiceUnavailable || !strings.Contains(body, "lack a quorum") {
			return fmt.Errorf("%d %s", status, body)
		}
		return nil
	})
}

// testMetricsMove checks that counters move with traffic: admin
// requests, RPC calls, and the layout version.
func testMetricsMove(t *testing.T, d *Daemon, c *Client) {
	before := scrape(t, d)
	for i := range 5 {
		if _, err := c.Put(context.Background(), fmt.Sprintf("m%d", i), "", []byte("v")); err != nil {
			t.Fatal(err)
		}
	}
	call(t, d, "GET", "/v2/GetClusterHealth", adminToken, "")
	after := scrape(t, d)
	for _, m := range []string{
		`api_admin_request_counter{api_endpoint="GetClusterHealth",status_code="200"}`,
		`rpc_request_counter{rpc_endpoint="table/debug_kv/`,
		`rpc_duration_seconds_count{rpc_endpoint="table/debug_kv/`,
	} {
		if after[m] <= before[m] {
			t.Errorf("%s did not move: %v then %v", m, before[m], after[m])
		}
	}
	if after["cluster_layout_version"] != 1 || after["cluster_partitions_quorum"] != 256 ||
		after[`table_merkle_updater_todo_queue_length{table_name="debug_kv"}`] < 0 || after["process_resident_memory_bytes"] <= 0 {
		t.Errorf("gauges: %v", after)
	}
}

// scrape returns the sum of the samples of /metrics by series name and
// label prefix: a key is the series up to the first label value's end
// for the first two labels, so sums run over peers.
func scrape(t *testing.T, d *Daemon) map[string]float64 {
	t.Helper()
	status, body := call(t, d, "GET", "/metrics", metricsToken, "")
	if status != 200 {
		t.Fatalf("/metrics: %d %s", status, body)
	}
	out := map[string]float64{}
	line := regexp.MustCompile(`^([a-z_]+)(\{[^}]*\})? (\S+)$`)
	rpc := regexp.MustCompile(`rpc_endpoint="table/debug_kv/`)
	for _, l := range strings.Split(body, "\n") {
		m := line.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		v, _ := strconv.ParseFloat(m[3], 64)
		out[m[1]+m[2]] += v
		if rpc.MatchString(m[2]) {
			out[m[1]+`{rpc_endpoint="table/debug_kv/`] += v
		}
	}
	return out
}
