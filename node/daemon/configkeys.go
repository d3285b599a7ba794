package daemon

import (
	"strconv"

	"github.com/gogarage/garage/node/cluster"
)

// KeyDoc documents one key of garage.toml, or one environment variable.
type KeyDoc struct {
	Name    string
	Default string // "" when the key is required or has no default
	Doc     string
}

// Keys documents every key of garage.toml this implementation reads, in
// the order of Garage's documentation. `garage config keys` prints it and
// the README lists it; a test holds both to Config.
func Keys() []KeyDoc {
	return []KeyDoc{
		{"metadata_dir", "(required)", "directory of the node's metadata: bbolt database, node key, peer list"},
		{"data_dir", "(required)", `directory of data blocks, or a list of {path = "...", capacity = "2T"} and {path = "...", read_only = true}`},
		{"metadata_fsync", "false", "fsync every metadata commit (survives power loss)"},
		{"data_fsync", "false", "fsync every data block written"},
		{"db_engine", "bbolt", `metadata engine; "bbolt" is the only one (Garage's "lmdb" analogue)`},
		{"block_size", "1MiB", "size of the blocks objects are cut into (an integer in bytes, or a string with a unit)"},
		{"block_ram_buffer_max", "256MiB", "bytes of blocks buffered in RAM while being written to other nodes"},
		{"compression_level", "1", `zstd level of stored blocks (-99 to 22), or "none"`},
		{"replication_factor", "(required)", "copies of every partition, 1 to 7; fixed for the life of the cluster"},
		{"consistency_mode", "consistent", `"consistent", "degraded" (read quorum 1) or "dangerous" (read and write quorum 1)`},
		{"rpc_bind_addr", "(required)", `host:port the node listens on for other nodes and the CLI, e.g. "[::]:3901"`},
		{"rpc_public_addr", "rpc_bind_addr", "host:port other nodes reach this one at (required if rpc_bind_addr is a wildcard)"},
		{"rpc_secret", "(required)", "64 hexadecimal characters shared by every node (openssl rand -hex 32); or rpc_secret_file"},
		{"rpc_secret_file", "", "file holding rpc_secret, readable by its owner only"},
		{"allow_world_readable_secrets", "false", "accept secret and token files that group or others may read"},
		{"bootstrap_peers", "[]", `peers to connect to at start, as "<node id>@host:port"`},
		{"log_level", "info", `"debug", "info", "warn" or "error", optionally per part: "info,net=debug"`},
		{"log_format", "text", `"text" or "json" (logs go to stderr)`},
		{"s3_api.api_bind_addr", "", `host:port (or Unix socket path) of the S3 API, e.g. "[::]:3900"; none: no S3 API`},
		{"s3_api.s3_region", "garage", "region name the S3 API expects in signatures"},
		{"s3_api.root_domain", "", `domain of virtual-hosted-style bucket addresses, e.g. ".s3.garage.localhost"`},
		{"s3_web.bind_addr", "", `host:port (or Unix socket path) of the static website server; none: no web server`},
		{"s3_web.root_domain", "", `domain websites are served under, e.g. ".web.garage.localhost" (required with bind_addr)`},
		{"s3_web.index", "index.html", "file served for a directory of a website"},
		{"admin.api_bind_addr", "", `host:port (or Unix socket path) of the admin HTTP API, /health and /metrics, e.g. "[::]:3903"`},
		{"admin.admin_token", "", "bearer token of the admin API (/v2/...); none: only /health and /metrics are served"},
		{"admin.admin_token_file", "", "file holding admin_token, readable by its owner only"},
		{"admin.metrics_token", "", "bearer token of /metrics; none: /metrics is open"},
		{"admin.metrics_token_file", "", "file holding metrics_token, readable by its owner only"},
	}
}

// EnvVars documents the environment variables the daemon and the CLI
// read. The GARAGE_* overrides win over the file, as in Garage.
func EnvVars() []KeyDoc {
	return []KeyDoc{
		{"GARAGE_CONFIG_FILE", DefaultConfigPath, "configuration file of the CLI and the server (or -c/--config)"},
		{"GARAGE_RPC_HOST", "", "node the CLI talks to, <id>@host:port (or --rpc-host)"},
		{"GARAGE_RPC_SECRET", "", "rpc_secret (or --rpc-secret); GARAGE_RPC_SECRET_FILE names a file holding it"},
		{"GARAGE_ADMIN_TOKEN", "", "admin.admin_token; GARAGE_ADMIN_TOKEN_FILE names a file holding it"},
		{"GARAGE_METRICS_TOKEN", "", "admin.metrics_token; GARAGE_METRICS_TOKEN_FILE names a file holding it"},
		{"GARAGE_ALLOW_WORLD_READABLE_SECRETS", "", "true or false: overrides allow_world_readable_secrets"},
		{"GARAGE_LOG_LEVEL", "", "overrides log_level (RUST_LOG is read too, for Garage users)"},
		{"GARAGE_PING_INTERVAL", cluster.DefaultPingInterval.String(), "period of the failure detector's pings (a Go duration such as 500ms)"},
		{"GARAGE_FAIL_AFTER", strconv.Itoa(cluster.DefaultFailAfter), "probe intervals a suspected peer has to answer before it is declared down (scaled by log10 of the cluster size)"},
		{"GARAGE_STATUS_INTERVAL", cluster.DefaultStatusInterval.String(), "period of status exchanges between nodes"},
		{"GARAGE_CPU_PROFILE", "", "file the server writes a CPU profile of its whole run to (for go tool pprof)"},
		{"GARAGE_TRACE", "", "file the server writes an execution trace of its whole run to (for go tool trace)"},
		{"GOGC", "300", "the Go garbage collector's target (the server's default is 300, not Go's 100)"},
		{"GOMAXPROCS", "2 per core", "the Go scheduler's processors (the server's default is twice Go's, for the time goroutines spend in disk calls)"},
		{"GO_FAILPOINTS", "", "arms failpoints of node/fail in this process (testing)"},
	}
}
