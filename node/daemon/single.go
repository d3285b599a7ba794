package daemon

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"

	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/node/garage"
)

// Default ports, as Garage's: S3 API, RPC, web, admin API.
const (
	DefaultS3Port    = 3900
	DefaultRPCPort   = 3901
	DefaultAdminPort = 3903
)

// Single-node defaults: the zone of the node's role, and the capacity it
// declares when the free space of data_dir cannot be measured.
const (
	SingleNodeZone     = "dc1"
	singleNodeFallback = 100e9
)

// singleNodeConfig is the embedded configuration of `garage server
// --single-node`, filled with the state directory and the ports.
const singleNodeConfig = `# Written by garage server --single-node; edit it freely, it is read at every start.
# The keys and their defaults: garage config keys.
metadata_dir = %q
data_dir = %q
replication_factor = 1
consistency_mode = "consistent"
metadata_fsync = true
rpc_bind_addr = %q
rpc_secret_file = %q

[s3_api]
api_bind_addr = %q
s3_region = "garage"

[admin]
api_bind_addr = %q
admin_token_file = %q
`

// SingleNode returns the configuration of a one-node cluster whose state
// lives in dir. The first time, it creates dir with a garage.toml (on
// loopback, at Garage's default ports or, if taken, free ones), an
// rpc_secret and an admin token, each readable by the owner only; created
// reports it. Later calls read the same files, so a restart keeps the
// identity, secrets and data.
func SingleNode(dir string, ov Overrides) (cfg Config, created bool, err error) {
	path := filepath.Join(dir, "garage.toml")
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		if err := writeSingleNode(dir); err != nil {
			return Config{}, false, fmt.Errorf("single node in %s: %w", dir, err)
		}
		created = true
	}
	cfg, err = Load(path, ov)
	return cfg, created, err
}

func writeSingleNode(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	secret, token := make([]byte, 32), make([]byte, 32)
	rand.Read(secret)
	rand.Read(token)
	files := map[string]string{
		"rpc_secret":  hex.EncodeToString(secret) + "\n",
		"admin_token": base64.RawURLEncoding.EncodeToString(token) + "\n",
	}
	for _, name := range []string{"rpc_secret", "admin_token"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(files[name]), 0o600); err != nil {
			return err
		}
	}
	text := fmt.Sprintf(singleNodeConfig, filepath.Join(dir, "meta"), filepath.Join(dir, "data"),
		loopbackAddr(DefaultRPCPort), filepath.Join(dir, "rpc_secret"), loopbackAddr(DefaultS3Port),
		loopbackAddr(DefaultAdminPort), filepath.Join(dir, "admin_token"))
	return os.WriteFile(filepath.Join(dir, "garage.toml"), []byte(text), 0o600)
}

// loopbackAddr returns 127.0.0.1 at port if it is free now, else at a
// free port the system picks.
func loopbackAddr(port int) string {
	for _, p := range []int{port, 0} {
		l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p)))
		if err == nil {
			addr := l.Addr().String()
			l.Close()
			return addr
		}
	}
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
}

// EnsureSingleLayout gives a lone node a role and applies layout version
// 1, if no layout was ever applied and nothing is staged: zone dc1, the
// free space of its data directory as capacity. It reports whether it
// applied a layout; a node that has one is left as it is.
func (d *Daemon) EnsureSingleLayout() (bool, error) {
	h := d.g.Layout()
	if h.Current().Number > 0 || h.HasChanges() {
		return false, nil
	}
	capacity := int64(d.space().DataFree)
	if capacity < 1e9 {
		capacity = singleNodeFallback
	}
	role := layout.StorageRole(SingleNodeZone, capacity)
	if err := d.g.Stage(garage.StageRequest{Roles: []garage.RoleChange{{Node: d.ID(), Role: role}}}); err != nil {
		return false, fmt.Errorf("stage this node's role: %w", err)
	}
	if _, err := d.g.Apply(1); err != nil {
		return false, fmt.Errorf("apply layout version 1: %w", err)
	}
	d.log.Info("single node: layout version 1 applied", "zone", SingleNodeZone, "capacity", layout.FormatBytes(capacity))
	return true, nil
}

// Config returns the daemon's configuration.
func (d *Daemon) Config() Config { return d.cfg }
