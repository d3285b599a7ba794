package daemon

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/node/garage"
	"github.com/gogarage/garage/node/host/secconn"
	"github.com/gogarage/garage/node/rt"
)

// freeAddr returns a loopback address with a port free right now.
func freeAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// testConfig returns the configuration of a test node in dir.
func testConfig(t testing.TB, dir string, secret [secconn.SecretSize]byte, boot ...string) Config {
	t.Helper()
	addr := freeAddr(t)
	c := Config{MetadataDir: filepath.Join(dir, "meta"), DataDir: DataDirs{{Path: filepath.Join(dir, "data")}},
		MetadataFsync: true, ReplicationFactor: 3, RPCBindAddr: addr, RPCSecret: fmt.Sprintf("%x", secret),
		BootstrapPeers: boot}
	if err := c.resolve(Overrides{}); err != nil {
		t.Fatal(err)
	}
	c.Tuning = Tuning{PingInterval: 200 * time.Millisecond, StatusInterval: 300 * time.Millisecond, FailAfter: 2}
	c.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	return c
}

func startDaemon(t *testing.T, cfg Config) *Daemon {
	t.Helper()
	d, err := Start(context.Background(), cfg)
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func testSecret(b byte) [secconn.SecretSize]byte {
	var s [secconn.SecretSize]byte
	for i := range s {
		s[i] = b + byte(i)
	}
	return s
}

// eventually retries check every 100 ms until it returns nil or 20 s pass.
func eventually(t *testing.T, what string, check func() error) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		err := check()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %v", what, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func dialDaemon(t *testing.T, d *Daemon, secret [secconn.SecretSize]byte) *Client {
	t.Helper()
	c, err := Dial(string(d.ID())+"@"+d.Addr(), secret)
	if err != nil {
		t.Fatal(err)
	}
	c.SetTimeout(5 * time.Second)
	t.Cleanup(func() { c.Close() })
	return c
}

// upNodes returns the ids a status lists as up.
func upNodes(st garage.StatusReply) []rt.NodeID {
	var ids []rt.NodeID
	for _, n := range st.Nodes {
		if n.Up {
			ids = append(ids, n.ID)
		}
	}
	return ids
}

// startCluster starts n daemons, the later ones bootstrapped from the
// first only, and waits until each sees all of them up.
func startCluster(t *testing.T, n int, secret [secconn.SecretSize]byte) ([]*Daemon, []*Client) {
	t.Helper()
	first := startDaemon(t, testConfig(t, t.TempDir(), secret))
	ds := []*Daemon{first}
	for range n - 1 {
		boot := string(first.ID()) + "@" + first.Addr()
		ds = append(ds, startDaemon(t, testConfig(t, t.TempDir(), secret, boot)))
	}
	cs := make([]*Client, n)
	for i, d := range ds {
		cs[i] = dialDaemon(t, d, secret)
		eventually(t, fmt.Sprintf("node %d sees %d nodes up", i, n), func() error {
			st, err := cs[i].Status(context.Background())
			if err != nil {
				return err
			}
			if got := len(upNodes(st)); got != n {
				return fmt.Errorf("%d up: %v", got, upNodes(st))
			}
			return nil
		})
	}
	return ds, cs
}

// assignAll stages a storage role in zone z<i> for every daemon and
// applies version 1 through client c.
func assignAll(t *testing.T, ds []*Daemon, c *Client) layout.Summary {
	t.Helper()
	var req garage.StageRequest
	for i, d := range ds {
		req.Roles = append(req.Roles, garage.RoleChange{Node: d.ID(), Role: layout.StorageRole(fmt.Sprintf("z%d", i), 1e9)})
	}
	ctx := context.Background()
	if err := c.Stage(ctx, req); err != nil {
		t.Fatalf("stage: %v", err)
	}
	sum, err := c.Apply(ctx, 1)
	if err != nil {
		t.Fatalf("apply: %v", err)
	}
	return sum
}

func TestClusterLayoutAndRegisters(t *testing.T) {
	secret := testSecret(1)
	ds, cs := startCluster(t, 3, secret)
	sum := assignAll(t, ds, cs[0])
	if sum.Version != 1 || sum.Replication != 3 {
		t.Fatalf("summary: got version %d rf %d, want 1 and 3", sum.Version, sum.Replication)
	}
	for i, c := range cs {
		eventually(t, fmt.Sprintf("node %d has layout 1", i), func() error {
			h, err := c.Layout(context.Background())
			if err != nil {
				return err
			}
			if got := h.Current().Number; got != 1 {
				return fmt.Errorf("version %d", got)
			}
			return nil
		})
	}
	ctx := context.Background()
	if _, err := cs[1].Put(ctx, "k", "", []byte("v1")); err != nil {
		t.Fatalf("put: %v", err)
	}
	got, err := cs[2].Get(ctx, "k", "")
	if err != nil || !got.Found || string(got.Value) != "v1" {
		t.Fatalf("get: got %+v, %v; want v1", got, err)
	}
	if _, err := cs[0].Delete(ctx, "k", ""); err != nil {
		t.Fatalf("delete: %v", err)
	}
	got, err = cs[1].Get(ctx, "k", "")
	if err != nil || got.Found || !got.Deleted {
		t.Fatalf("get after delete: got %+v, %v; want a tombstone", got, err)
	}
}

func TestWrongSecretRefused(t *testing.T) {
	good := testSecret(1)
	ds, cs := startCluster(t, 2, good)
	boot := string(ds[0].ID()) + "@" + ds[0].Addr()
	bad := startDaemon(t, testConfig(t, t.TempDir(), testSecret(2), boot))
	badClient := dialDaemon(t, bad, testSecret(2))
	time.Sleep(time.Second) // several ping rounds
	st, err := badClient.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if up := upNodes(st); !slices.Equal(up, []rt.NodeID{bad.ID()}) {
		t.Errorf("bad node sees up %v, want only itself", up)
	}
	for i, c := range cs {
		st, err := c.Status(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range st.Nodes {
			if n.ID == bad.ID() {
				t.Errorf("node %d lists the node with the wrong secret", i)
			}
		}
	}
	wrong := dialDaemon(t, ds[0], testSecret(3))
	_, err = wrong.Status(context.Background())
	if err == nil || !strings.Contains(err.Error(), "rpc_secret") {
		t.Errorf("client with a wrong secret: got %v, want an error naming rpc_secret", err)
	}
}

func TestRestartKeepsIdentityAndState(t *testing.T) {
	secret := testSecret(1)
	cfg := testConfig(t, t.TempDir(), secret)
	cfg.ReplicationFactor = 1
	d, err := Start(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	c := dialDaemon(t, d, secret)
	ctx := context.Background()
	if err := c.Stage(ctx, garage.StageRequest{Roles: []garage.RoleChange{{Node: d.ID(), Role: layout.StorageRole("z", 1e9)}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Apply(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Put(ctx, "k", "", []byte("v")); err != nil {
		t.Fatal(err)
	}
	id := d.ID()
	if err := d.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	d2 := startDaemon(t, cfg)
	if d2.ID() != id {
		t.Errorf("id after restart: got %s, want %s", d2.ID(), id)
	}
	got, err := dialDaemon(t, d2, secret).Get(ctx, "k", "")
	if err != nil || string(got.Value) != "v" {
		t.Errorf("get after restart: got %+v, %v; want v", got, err)
	}
}

func TestConnectByHand(t *testing.T) {
	secret := testSecret(1)
	d1 := startDaemon(t, testConfig(t, t.TempDir(), secret))
	cfg2 := testConfig(t, t.TempDir(), secret)
	d2 := startDaemon(t, cfg2)
	c2 := dialDaemon(t, d2, secret)
	ctx := context.Background()
	if err := c2.Connect(ctx, string(d1.ID())+"@"+d1.Addr()); err != nil {
		t.Fatalf("connect: %v", err)
	}
	waitUp(t, 2, c2, dialDaemon(t, d1, secret))
	unknown := strings.Repeat("ab", 32) + "@" + freeAddr(t) // nobody listens there
	for _, bad := range []string{"nope", "abcd@127.0.0.1:1", unknown} {
		if err := c2.Connect(ctx, bad); err == nil {
			t.Errorf("connect %q: want an error", bad)
		}
	}
	// The peer list is persisted: restarted without bootstrap peers, the
	// node finds its peer again.
	if err := d2.Close(); err != nil {
		t.Fatal(err)
	}
	d2 = startDaemon(t, cfg2)
	waitUp(t, 2, dialDaemon(t, d2, secret))
}

// waitUp waits until every client's node sees n nodes up.
func waitUp(t *testing.T, n int, cs ...*Client) {
	t.Helper()
	for _, c := range cs {
		eventually(t, fmt.Sprintf("%d nodes up", n), func() error {
			st, err := c.Status(context.Background())
			if err == nil && len(upNodes(st)) != n {
				err = fmt.Errorf("up: %v", upNodes(st))
			}
			return err
		})
	}
}
