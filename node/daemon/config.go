package daemon

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/gogarage/garage/node/cluster"
	"github.com/gogarage/garage/node/host/nodekey"
	"github.com/gogarage/garage/node/host/secconn"
	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/node/table"
)

// DefaultConfigPath is where the CLI looks for the configuration, as Garage.
const DefaultConfigPath = "/etc/garage.toml"

// Config is a node's configuration: the keys of garage.toml that this
// implementation knows, then the values resolved from them by Load.
type Config struct {
	MetadataDir               string   `toml:"metadata_dir"`
	DataDir                   string   `toml:"data_dir"`
	MetadataFsync             bool     `toml:"metadata_fsync"`
	DataFsync                 bool     `toml:"data_fsync"`
	DBEngine                  string   `toml:"db_engine"`
	ReplicationFactor         int      `toml:"replication_factor"`
	ConsistencyMode           string   `toml:"consistency_mode"`
	RPCBindAddr               string   `toml:"rpc_bind_addr"`
	RPCPublicAddr             string   `toml:"rpc_public_addr"`
	RPCSecret                 string   `toml:"rpc_secret"`
	RPCSecretFile             string   `toml:"rpc_secret_file"`
	AllowWorldReadableSecrets bool     `toml:"allow_world_readable_secrets"`
	BootstrapPeers            []string `toml:"bootstrap_peers"`

	// Path is the file the configuration was read from ("" if none).
	Path string `toml:"-"`
	// Secret is the decoded rpc_secret.
	Secret [secconn.SecretSize]byte `toml:"-"`
	// Mode is the decoded consistency_mode.
	Mode table.Mode `toml:"-"`
	// Tuning holds knobs that are not part of garage.toml.
	Tuning Tuning `toml:"-"`
	// Log receives the daemon's logs (default: text to stderr).
	Log *slog.Logger `toml:"-"`
	// WrapConn, when set, wraps every identified peer connection (from is
	// this node, to the peer), for instance with a link shaper in research
	// runs; it is handed to host.NetConfig.WrapConn as is.
	WrapConn func(c net.Conn, from, to rt.NodeID) net.Conn `toml:"-"`
}

// Tuning holds the cluster timings; zero values take the cluster defaults.
// Tests shorten them to form clusters and detect failures quickly.
type Tuning struct {
	PingInterval   time.Duration
	StatusInterval time.Duration
	FailAfter      int
	SpaceInterval  time.Duration // free-space refresh (default 1 min)
}

// Overrides are the values given outside the file (flags or environment),
// which win over it, as in Garage.
type Overrides struct {
	RPCSecret     string
	RPCSecretFile string
	// AllowWorldReadableSecrets is "", "true" or "false".
	AllowWorldReadableSecrets string
}

// EnvOverrides reads Garage's environment variables through getenv:
// GARAGE_RPC_SECRET, GARAGE_RPC_SECRET_FILE and
// GARAGE_ALLOW_WORLD_READABLE_SECRETS.
func EnvOverrides(getenv func(string) string) Overrides {
	return Overrides{
		RPCSecret:                 getenv("GARAGE_RPC_SECRET"),
		RPCSecretFile:             getenv("GARAGE_RPC_SECRET_FILE"),
		AllowWorldReadableSecrets: getenv("GARAGE_ALLOW_WORLD_READABLE_SECRETS"),
	}
}

// Merge returns o with the empty fields filled from fallback.
func (o Overrides) Merge(fallback Overrides) Overrides {
	o.RPCSecret = orString(o.RPCSecret, fallback.RPCSecret)
	o.RPCSecretFile = orString(o.RPCSecretFile, fallback.RPCSecretFile)
	o.AllowWorldReadableSecrets = orString(o.AllowWorldReadableSecrets, fallback.AllowWorldReadableSecrets)
	return o
}

func orString(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// ConfigError is a configuration value that is missing or wrong.
type ConfigError struct {
	Path string // the configuration file
	Key  string // the key at fault ("" for the whole file)
	Msg  string // what is wrong and what is expected
}

func (e *ConfigError) Error() string {
	where := "config " + e.Path
	if e.Path == "" {
		where = "config"
	}
	if e.Key != "" {
		where += ": " + e.Key
	}
	return where + ": " + e.Msg
}

// Load reads the configuration file at path, applies ov and checks every
// value. Errors are *ConfigError, or wrap the file's read or syntax error.
func Load(path string, ov Overrides) (Config, error) {
	var c Config
	md, err := toml.DecodeFile(path, &c)
	if err != nil {
		return Config{}, fmt.Errorf("config %s: %w", path, err)
	}
	c.Path = path
	if err := unknownKeys(path, md); err != nil {
		return Config{}, err
	}
	if err := c.resolve(ov); err != nil {
		return Config{}, err
	}
	return c, nil
}

// unknownKeys rejects keys the Config does not have, naming the first.
func unknownKeys(path string, md toml.MetaData) error {
	und := md.Undecoded()
	if len(und) == 0 {
		return nil
	}
	keys := make([]string, len(und))
	for i, k := range und {
		keys[i] = k.String()
	}
	slices.Sort(keys)
	return &ConfigError{Path: path, Key: keys[0], Msg: "unknown key (not supported by this implementation, or misspelt)"}
}

// resolve applies ov, fills defaults and checks and decodes every value.
func (c *Config) resolve(ov Overrides) error {
	checks := []func(Overrides) error{
		c.checkDirs, c.checkEngine, c.checkReplication, c.checkMode,
		c.checkAddrs, c.checkSecret, c.checkPeers,
	}
	for _, check := range checks {
		if err := check(ov); err != nil {
			return err
		}
	}
	return nil
}

func (c *Config) fail(key, format string, args ...any) error {
	return &ConfigError{Path: c.Path, Key: key, Msg: fmt.Sprintf(format, args...)}
}

func (c *Config) checkDirs(Overrides) error {
	if c.MetadataDir == "" {
		return c.fail("metadata_dir", "missing: want the directory of the node's metadata, e.g. \"/var/lib/garage/meta\"")
	}
	if c.DataDir == "" {
		return c.fail("data_dir", "missing: want the directory of the node's data blocks, e.g. \"/var/lib/garage/data\"")
	}
	return nil
}

func (c *Config) checkEngine(Overrides) error {
	switch c.DBEngine {
	case "":
		c.DBEngine = "bbolt"
	case "bbolt":
	default:
		return c.fail("db_engine", "got %q, want \"bbolt\" (the only metadata engine of this implementation)", c.DBEngine)
	}
	return nil
}

func (c *Config) checkReplication(Overrides) error {
	if c.ReplicationFactor < 1 || c.ReplicationFactor > 7 {
		if c.ReplicationFactor == 0 {
			return c.fail("replication_factor", "missing: want an integer from 1 to 7, e.g. 3")
		}
		return c.fail("replication_factor", "got %d, want an integer from 1 to 7", c.ReplicationFactor)
	}
	return nil
}

func (c *Config) checkMode(Overrides) error {
	if c.ConsistencyMode == "" {
		c.ConsistencyMode = "consistent"
	}
	m, err := table.ParseMode(c.ConsistencyMode)
	if err != nil {
		return c.fail("consistency_mode", "got %q, want \"consistent\", \"degraded\" or \"dangerous\"", c.ConsistencyMode)
	}
	c.Mode = m
	return nil
}

func (c *Config) checkAddrs(Overrides) error {
	if c.RPCBindAddr == "" {
		return c.fail("rpc_bind_addr", "missing: want host:port to listen on, e.g. \"[::]:3901\"")
	}
	host, err := checkAddr(c.RPCBindAddr, true)
	if err != nil {
		return c.fail("rpc_bind_addr", "%v", err)
	}
	if c.RPCPublicAddr != "" {
		if _, err := checkAddr(c.RPCPublicAddr, false); err != nil {
			return c.fail("rpc_public_addr", "%v", err)
		}
		return nil
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		return c.fail("rpc_public_addr", "missing: required when rpc_bind_addr (%q) listens on every interface; want the host:port other nodes reach this one at", c.RPCBindAddr)
	}
	c.RPCPublicAddr = c.RPCBindAddr
	return nil
}

// checkAddr checks a host:port and returns the host. A listening address
// may leave the host empty.
func checkAddr(addr string, listen bool) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("got %q, want host:port (IPv6 hosts in brackets): %v", addr, unwrapAddrErr(err))
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 1 || n > 65535 {
		return "", fmt.Errorf("got %q, want a port from 1 to 65535", addr)
	}
	if host == "" && !listen {
		return "", fmt.Errorf("got %q, want a host before the port", addr)
	}
	return host, nil
}

func unwrapAddrErr(err error) string {
	var ae *net.AddrError
	if errors.As(err, &ae) {
		return ae.Err
	}
	return err.Error()
}

func (c *Config) checkPeers(Overrides) error {
	for i, s := range c.BootstrapPeers {
		key := fmt.Sprintf("bootstrap_peers[%d]", i)
		p, err := cluster.ParsePeer(strings.TrimSpace(s))
		if err != nil {
			return c.fail(key, "%v", err)
		}
		if _, err := nodekey.ParseID(p.ID); err != nil {
			return c.fail(key, "got node id %q, want 64 hexadecimal characters (see \"garage node id\")", p.ID.Short())
		}
	}
	return nil
}
