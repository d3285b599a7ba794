package daemon

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/node/cluster"
	"github.com/gogarage/garage/node/host/nodekey"
	"github.com/gogarage/garage/node/table"
)

// Defaults of the keys that have one (see Keys).
const (
	DefaultBlockSize         = 1 << 20
	DefaultBlockRAMBufferMax = 256 << 20
	DefaultCompressionLevel  = 1
	DefaultS3Region          = "garage"
	DefaultWebIndex          = "index.html"
	minBlockSize             = 1 << 10
	maxBlockSize             = 32 << 20
)

func (c *Config) checkDirs(Overrides) error {
	if c.MetadataDir == "" {
		return c.fail("metadata_dir", "missing: want the directory of the node's metadata, e.g. \"/var/lib/garage/meta\"")
	}
	if len(c.DataDir) == 0 {
		return c.fail("data_dir", "missing: want the directory of the node's data blocks, e.g. \"/var/lib/garage/data\", or a list of {path, capacity}")
	}
	if err := c.DataDir.check(); err != nil {
		return c.fail("data_dir", "%v", err)
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

func (c *Config) checkBlocks(Overrides) error {
	if c.BlockSize == 0 {
		c.BlockSize = DefaultBlockSize
	}
	if b := int64(c.BlockSize); b < minBlockSize || b > maxBlockSize {
		return c.fail("block_size", "got %s, want from %s to %s (default 1MiB)", layout.FormatBytes(b),
			layout.FormatBytes(minBlockSize), layout.FormatBytes(maxBlockSize))
	}
	if c.BlockRAMBufferMax == 0 {
		c.BlockRAMBufferMax = DefaultBlockRAMBufferMax
	}
	if !c.CompressionLevel.set {
		c.CompressionLevel = CompressionAt(DefaultCompressionLevel)
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

// checkListen checks an HTTP listening address: host:port, or the
// absolute path of a Unix socket.
func checkListen(addr string) error {
	if strings.HasPrefix(addr, "/") {
		return nil
	}
	_, err := checkAddr(addr, true)
	return err
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

func (c *Config) checkS3(Overrides) error {
	if a := c.S3API.APIBindAddr; a != "" {
		if err := checkListen(a); err != nil {
			return c.fail("s3_api.api_bind_addr", "%v", err)
		}
	}
	c.S3API.S3Region = orString(c.S3API.S3Region, DefaultS3Region)
	if err := checkDomain(c.S3API.RootDomain); err != nil {
		return c.fail("s3_api.root_domain", "%v", err)
	}
	c.S3Web.Index = orString(c.S3Web.Index, DefaultWebIndex)
	if strings.Contains(c.S3Web.Index, "/") {
		return c.fail("s3_web.index", "got %q, want a file name such as %q", c.S3Web.Index, DefaultWebIndex)
	}
	if err := checkDomain(c.S3Web.RootDomain); err != nil {
		return c.fail("s3_web.root_domain", "%v", err)
	}
	if c.S3Web.BindAddr == "" {
		return nil
	}
	if err := checkListen(c.S3Web.BindAddr); err != nil {
		return c.fail("s3_web.bind_addr", "%v", err)
	}
	if c.S3Web.RootDomain == "" {
		return c.fail("s3_web.root_domain", "missing: required with s3_web.bind_addr; want the domain websites are served under, e.g. \".web.garage.localhost\"")
	}
	return nil
}

// checkDomain checks a root domain: a host name, without scheme, port or
// path ("" is no domain).
func checkDomain(d string) error {
	if strings.ContainsAny(d, "/: ") {
		return fmt.Errorf("got %q, want a bare domain such as \".s3.garage.localhost\" (no scheme, port or path)", d)
	}
	return nil
}

func (c *Config) checkAdmin(ov Overrides) error {
	if a := c.Admin.APIBindAddr; a != "" {
		if err := checkListen(a); err != nil {
			return c.fail("admin.api_bind_addr", "%v", err)
		}
	}
	var err error
	c.Admin.AdminToken, err = c.token(tokenSpec{"admin_token", ov.AdminToken, ov.AdminTokenFile,
		c.Admin.AdminToken, c.Admin.AdminTokenFile})
	if err != nil {
		return err
	}
	c.Admin.MetricsToken, err = c.token(tokenSpec{"metrics_token", ov.MetricsToken, ov.MetricsTokenFile,
		c.Admin.MetricsToken, c.Admin.MetricsTokenFile})
	return err
}

func (c *Config) checkLog(Overrides) error {
	if _, err := ParseLogLevel(c.LogLevel); err != nil {
		return c.fail("log_level", "%v", err)
	}
	switch c.LogFormat {
	case "":
		c.LogFormat = "text"
	case "text", "json":
	default:
		return c.fail("log_format", "got %q, want \"text\" or \"json\"", c.LogFormat)
	}
	return nil
}
