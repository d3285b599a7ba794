package daemon

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// LogLevels is a parsed log_level: a level for every log line, and levels
// for the lines of some parts of the node (the "part" attribute, such as
// "net"), like RUST_LOG's per-target directives.
type LogLevels struct {
	Default slog.Level
	Parts   map[string]slog.Level
}

// ParseLogLevel parses "info", "debug,net=warn" and RUST_LOG-style
// directives ("garage=debug" sets the default; "netapp" names the part
// "net"). The empty string is "info".
func ParseLogLevel(spec string) (LogLevels, error) {
	ls := LogLevels{Default: slog.LevelInfo, Parts: map[string]slog.Level{}}
	for _, d := range strings.Split(spec, ",") {
		d = strings.TrimSpace(d)
		if d == "" {
			continue
		}
		part, lvl, scoped := strings.Cut(d, "=")
		if !scoped {
			lvl, part = part, ""
		}
		l, err := parseLevel(lvl)
		if err != nil {
			return ls, fmt.Errorf("%q: %w", d, err)
		}
		switch part = rustTarget(part); part {
		case "":
			ls.Default = l
		default:
			ls.Parts[part] = l
		}
	}
	return ls, nil
}

// rustTarget maps Garage's crate names to our parts.
func rustTarget(t string) string {
	switch t {
	case "garage", "garage_api", "garage_model", "garage_table", "garage_util":
		return ""
	case "netapp", "garage_net", "garage_rpc":
		return "net"
	}
	return t
}

func parseLevel(s string) (slog.Level, error) {
	switch strings.ToLower(s) {
	case "trace", "debug":
		return slog.LevelDebug, nil
	case "info":
		return slog.LevelInfo, nil
	case "warn", "warning":
		return slog.LevelWarn, nil
	case "error", "off":
		return slog.LevelError, nil
	}
	return 0, fmt.Errorf("unknown level %q: want debug, info, warn or error", s)
}

// NewLogger returns the daemon's logger: text or JSON lines on w at the
// levels of cfg's log_level, unless env (GARAGE_LOG_LEVEL or RUST_LOG)
// overrides it.
func NewLogger(w io.Writer, cfg Config, env string) (*slog.Logger, error) {
	spec := orString(env, cfg.LogLevel)
	ls, err := ParseLogLevel(spec)
	if err != nil {
		return nil, fmt.Errorf("log level: %w", err)
	}
	opts := &slog.HandlerOptions{Level: slog.LevelDebug}
	var h slog.Handler = slog.NewTextHandler(w, opts)
	if cfg.LogFormat == "json" {
		h = slog.NewJSONHandler(w, opts)
	}
	return slog.New(&partHandler{inner: h, levels: ls, level: ls.Default}), nil
}

// partHandler filters records by the level of their part.
type partHandler struct {
	inner  slog.Handler
	levels LogLevels
	level  slog.Level
}

func (h *partHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= h.level }

func (h *partHandler) Handle(ctx context.Context, r slog.Record) error { return h.inner.Handle(ctx, r) }

func (h *partHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	level := h.level
	for _, a := range attrs {
		if l, ok := h.levels.Parts[a.Value.String()]; ok && a.Key == "part" {
			level = l
		}
	}
	return &partHandler{inner: h.inner.WithAttrs(attrs), levels: h.levels, level: level}
}

func (h *partHandler) WithGroup(name string) slog.Handler {
	return &partHandler{inner: h.inner.WithGroup(name), levels: h.levels, level: h.level}
}

// LogValue renders the configuration for logs with every secret and
// token redacted.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("path", c.Path), slog.String("metadata_dir", c.MetadataDir),
		slog.String("data_dir", c.PrimaryDataDir()), slog.Int("replication_factor", c.ReplicationFactor),
		slog.String("consistency_mode", c.ConsistencyMode), slog.String("rpc_bind_addr", c.RPCBindAddr),
		slog.String("rpc_public_addr", c.RPCPublicAddr), slog.String("rpc_secret", "[redacted]"),
		slog.String("s3_api", c.S3API.APIBindAddr), slog.String("admin_api", c.Admin.APIBindAddr),
		slog.Bool("admin_token", c.Admin.AdminToken != ""), slog.Bool("metrics_token", c.Admin.MetricsToken != ""),
	)
}
