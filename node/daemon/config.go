package daemon

import (
	"fmt"
	"log/slog"
	"net"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/gogarage/garage/node/host/secconn"
	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/node/table"
)

// DefaultConfigPath is where the CLI looks for the configuration, as Garage.
const DefaultConfigPath = "/etc/garage.toml"

// Config is a node's configuration: the keys of garage.toml that this
// implementation knows (Keys documents each, with its default), then the
// values resolved from them by Load. Values that take several forms in the
// file (data_dir, sizes, compression_level) are read through methods.
type Config struct {
	MetadataDir               string      `toml:"metadata_dir"`
	DataDir                   DataDirs    `toml:"data_dir"`
	MetadataFsync             bool        `toml:"metadata_fsync"`
	DataFsync                 bool        `toml:"data_fsync"`
	DBEngine                  string      `toml:"db_engine"`
	BlockSize                 Size        `toml:"block_size"`
	BlockRAMBufferMax         Size        `toml:"block_ram_buffer_max"`
	CompressionLevel          Compression `toml:"compression_level"`
	ReplicationFactor         int         `toml:"replication_factor"`
	ConsistencyMode           string      `toml:"consistency_mode"`
	RPCBindAddr               string      `toml:"rpc_bind_addr"`
	RPCPublicAddr             string      `toml:"rpc_public_addr"`
	RPCSecret                 string      `toml:"rpc_secret"`
	RPCSecretFile             string      `toml:"rpc_secret_file"`
	AllowWorldReadableSecrets bool        `toml:"allow_world_readable_secrets"`
	BootstrapPeers            []string    `toml:"bootstrap_peers"`
	LogLevel                  string      `toml:"log_level"`
	LogFormat                 string      `toml:"log_format"`
	S3API                     S3API       `toml:"s3_api"`
	S3Web                     S3Web       `toml:"s3_web"`
	Admin                     Admin       `toml:"admin"`

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

	lines map[string]int // line of each key in the file, for errors
}

// S3API is the [s3_api] table: where the S3 API listens and how it names
// itself.
type S3API struct {
	APIBindAddr string `toml:"api_bind_addr"`
	S3Region    string `toml:"s3_region"`
	RootDomain  string `toml:"root_domain"`
}

// S3Web is the [s3_web] table: the static website server.
type S3Web struct {
	BindAddr   string `toml:"bind_addr"`
	RootDomain string `toml:"root_domain"`
	Index      string `toml:"index"`
}

// Admin is the [admin] table: the admin HTTP API and its tokens. After
// Load, AdminToken and MetricsToken hold the tokens however they were
// given (inline, in a file, or in the environment).
type Admin struct {
	APIBindAddr      string `toml:"api_bind_addr"`
	AdminToken       string `toml:"admin_token"`
	AdminTokenFile   string `toml:"admin_token_file"`
	MetricsToken     string `toml:"metrics_token"`
	MetricsTokenFile string `toml:"metrics_token_file"`
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
	AllowWorldReadableSecrets      string
	AdminToken, AdminTokenFile     string
	MetricsToken, MetricsTokenFile string
}

// EnvOverrides reads Garage's environment variables through getenv:
// GARAGE_RPC_SECRET, GARAGE_RPC_SECRET_FILE,
// GARAGE_ALLOW_WORLD_READABLE_SECRETS, GARAGE_ADMIN_TOKEN,
// GARAGE_ADMIN_TOKEN_FILE, GARAGE_METRICS_TOKEN and
// GARAGE_METRICS_TOKEN_FILE.
func EnvOverrides(getenv func(string) string) Overrides {
	return Overrides{
		RPCSecret:                 getenv("GARAGE_RPC_SECRET"),
		RPCSecretFile:             getenv("GARAGE_RPC_SECRET_FILE"),
		AllowWorldReadableSecrets: getenv("GARAGE_ALLOW_WORLD_READABLE_SECRETS"),
		AdminToken:                getenv("GARAGE_ADMIN_TOKEN"),
		AdminTokenFile:            getenv("GARAGE_ADMIN_TOKEN_FILE"),
		MetricsToken:              getenv("GARAGE_METRICS_TOKEN"),
		MetricsTokenFile:          getenv("GARAGE_METRICS_TOKEN_FILE"),
	}
}

// Merge returns o with the empty fields filled from fallback.
func (o Overrides) Merge(fallback Overrides) Overrides {
	o.RPCSecret = orString(o.RPCSecret, fallback.RPCSecret)
	o.RPCSecretFile = orString(o.RPCSecretFile, fallback.RPCSecretFile)
	o.AllowWorldReadableSecrets = orString(o.AllowWorldReadableSecrets, fallback.AllowWorldReadableSecrets)
	o.AdminToken = orString(o.AdminToken, fallback.AdminToken)
	o.AdminTokenFile = orString(o.AdminTokenFile, fallback.AdminTokenFile)
	o.MetricsToken = orString(o.MetricsToken, fallback.MetricsToken)
	o.MetricsTokenFile = orString(o.MetricsTokenFile, fallback.MetricsTokenFile)
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
	Line int    // the key's line in the file (0 if unknown or absent)
	Key  string // the key at fault ("" for the whole file)
	Msg  string // what is wrong and what is expected
}

func (e *ConfigError) Error() string {
	where := "config " + e.Path
	switch {
	case e.Path == "":
		where = "config"
	case e.Line > 0:
		where += fmt.Sprintf(":%d", e.Line)
	}
	if e.Key != "" {
		where += ": " + e.Key
	}
	return where + ": " + e.Msg
}

// Load reads the configuration file at path, applies ov and checks every
// value. Errors are *ConfigError, naming the key and its line, or wrap
// the file's read error.
func Load(path string, ov Overrides) (Config, error) {
	text, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("config %s: %w", path, err)
	}
	return Parse(path, string(text), ov)
}

// Parse is Load on the text of a configuration file; path names it in
// errors.
func Parse(path, text string, ov Overrides) (Config, error) {
	var c Config
	md, err := toml.Decode(text, &c)
	if err != nil {
		return Config{}, decodeError(path, err)
	}
	c.Path, c.lines = path, keyLines(text)
	if err := c.unknownKeys(md); err != nil {
		return Config{}, err
	}
	if err := c.resolve(ov); err != nil {
		return Config{}, err
	}
	return c, nil
}

// unknownKeys rejects keys the Config does not have, naming the first.
func (c *Config) unknownKeys(md toml.MetaData) error {
	var keys []string
	for _, k := range md.Undecoded() {
		// toml marks the keys of inline tables in a list as undecoded
		// even when DataDirs.UnmarshalTOML read them.
		if k[0] != "data_dir" {
			keys = append(keys, k.String())
		}
	}
	if len(keys) == 0 {
		return nil
	}
	slices.Sort(keys)
	return c.fail(keys[0], "%s", unknownKeyHint(keys[0]))
}

// resolve applies ov, fills defaults and checks and decodes every value.
func (c *Config) resolve(ov Overrides) error {
	checks := []func(Overrides) error{
		c.checkDirs, c.checkEngine, c.checkBlocks, c.checkReplication, c.checkMode,
		c.checkAddrs, c.checkSecret, c.checkPeers, c.checkS3, c.checkAdmin, c.checkLog,
	}
	for _, check := range checks {
		if err := check(ov); err != nil {
			return err
		}
	}
	return nil
}

// fail returns the error of key, at the key's line (or the line of the
// nearest enclosing key the file has).
func (c *Config) fail(key, format string, args ...any) error {
	return &ConfigError{Path: c.Path, Line: c.lineOf(key), Key: key, Msg: fmt.Sprintf(format, args...)}
}

// lineOf returns the line of key, or of its nearest parent in the file.
func (c *Config) lineOf(key string) int {
	for k := key; k != ""; k = parentKey(k) {
		if n, ok := c.lines[k]; ok {
			return n
		}
	}
	return 0
}

// parentKey strips the last ".name" or "[i]" of a key path.
func parentKey(k string) string {
	i := strings.LastIndexAny(k, ".[")
	if i < 0 {
		return ""
	}
	return k[:i]
}
