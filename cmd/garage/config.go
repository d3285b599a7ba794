package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/gogarage/garage/node/daemon"
)

func (c *cli) configCmd() *command {
	return &command{name: "config", summary: "the keys of garage.toml, and a check of a configuration file", sub: []*command{
		{name: "config keys", summary: "list every key of garage.toml and environment variable, with its default",
			usage: "config keys", example: "config keys", setup: c.configKeysSetup},
		{name: "config check", summary: "check a configuration file and print what it resolves to (secrets hidden)",
			usage: "config check [-c <config>]", example: "config check -c /etc/garage.toml", setup: c.configCheckSetup},
	}}
}

func (c *cli) configKeysSetup(*flag.FlagSet) func([]string) error {
	return func(pos []string) error {
		if len(pos) > 0 {
			return errors.New("config keys takes no argument")
		}
		fmt.Fprintln(c.stdout, "Keys of garage.toml (tables in dotted form: [admin] api_bind_addr is admin.api_bind_addr):")
		writeKeys(c.stdout, daemon.Keys())
		fmt.Fprintln(c.stdout, "\nEnvironment variables:")
		writeKeys(c.stdout, daemon.EnvVars())
		return nil
	}
}

// writeKeys prints documented keys as a table: name, default, meaning.
func writeKeys(w io.Writer, keys []daemon.KeyDoc) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  KEY\tDEFAULT\tMEANING")
	for _, k := range keys {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", k.Name, orDash(k.Default), k.Doc)
	}
	tw.Flush()
}

func (c *cli) configCheckSetup(*flag.FlagSet) func([]string) error {
	return func(pos []string) error {
		if len(pos) > 0 {
			return errors.New("config check takes no argument (name the file with -c)")
		}
		cfg, err := c.config()
		if err != nil {
			return err
		}
		writeResolved(c.stdout, cfg)
		return nil
	}
}

// writeResolved prints a checked configuration, secrets and tokens
// reduced to whether they are set.
func writeResolved(w io.Writer, cfg daemon.Config) {
	set := func(s string) string {
		if s == "" {
			return "(not set)"
		}
		return "(set)"
	}
	lvl, on := cfg.CompressionLevel.Level()
	comp := fmt.Sprint(lvl)
	if !on {
		comp = "none"
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "%s is valid:\n", cfg.Path)
	rows := [][2]string{
		{"metadata_dir", cfg.MetadataDir}, {"data_dir", fmt.Sprint(cfg.DataDirs())},
		{"replication_factor", fmt.Sprint(cfg.ReplicationFactor)}, {"consistency_mode", cfg.ConsistencyMode},
		{"rpc_bind_addr", cfg.RPCBindAddr}, {"rpc_public_addr", cfg.RPCPublicAddr}, {"rpc_secret", "(set)"},
		{"block_size", cfg.BlockSize.String()}, {"compression_level", comp},
		{"s3_api.api_bind_addr", orDash(cfg.S3API.APIBindAddr)}, {"s3_api.s3_region", cfg.S3API.S3Region},
		{"s3_web.bind_addr", orDash(cfg.S3Web.BindAddr)},
		{"admin.api_bind_addr", orDash(cfg.Admin.APIBindAddr)}, {"admin.admin_token", set(cfg.Admin.AdminToken)},
		{"admin.metrics_token", set(cfg.Admin.MetricsToken)}, {"log_level", orDash(cfg.LogLevel)},
	}
	for _, r := range rows {
		fmt.Fprintf(tw, "  %s\t%s\n", r[0], r[1])
	}
	tw.Flush()
}
