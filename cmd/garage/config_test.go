package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// TestBadConfigs runs `garage -c <file> server` on every configuration of
// testdata/config: each must be refused with exit status 1 and an error
// naming the file, the key and what is expected (golden file).
func TestBadConfigs(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "config", "*.toml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no bad configurations found: %v", err)
	}
	files = append(files, filepath.Join("testdata", "config", "does_not_exist.toml"))
	var all strings.Builder
	for _, f := range files {
		r := runGarage(t, nil, "-c", f, "server")
		if r.code != 1 || r.stdout != "" {
			t.Errorf("%s: exit %d, stdout %q; want exit 1 and nothing on stdout", f, r.code, r.stdout)
		}
		if !strings.Contains(r.stderr, f) {
			t.Errorf("%s: error does not name the file: %s", f, r.stderr)
		}
		fmt.Fprintf(&all, "== %s\n%s", filepath.Base(f), r.stderr)
	}
	golden(t, "config_errors.golden", all.String())
}

// TestSecretOverrides checks that GARAGE_RPC_SECRET and --rpc-secret-file
// are checked like the file's rpc_secret.
func TestSecretOverrides(t *testing.T) {
	cfg := filepath.Join("testdata", "config", "missing_secret.toml")
	tests := []struct {
		name string
		env  []string
		args []string
		want string
	}{
		{"env secret too short", []string{"GARAGE_RPC_SECRET=abcd"}, nil, "GARAGE_RPC_SECRET (or --rpc-secret): "},
		{"flag secret file missing", nil, []string{"--rpc-secret-file", "/nonexistent/secret"}, "GARAGE_RPC_SECRET_FILE (or --rpc-secret-file): stat /nonexistent/secret"},
		{"bad allow flag", []string{"GARAGE_ALLOW_WORLD_READABLE_SECRETS=maybe"}, nil, "GARAGE_ALLOW_WORLD_READABLE_SECRETS: got \"maybe\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append(append([]string{"-c", cfg}, tt.args...), "node", "id")
			r := runGarage(t, tt.env, args...)
			if r.code != 1 || !strings.Contains(r.stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want 1 and %q", r.code, r.stderr, tt.want)
			}
		})
	}
}

// TestUsage checks the usage errors (exit 2) of malformed command lines.
func TestUsage(t *testing.T) {
	cmds := [][]string{{}, {"frobnicate"}, {"layout"}, {"layout", "assign"}, {"node"},
		{"debug", "put", "k"}, {"status", "extra"}, {"layout", "config"}}
	var all strings.Builder
	for _, args := range cmds {
		r := runGarage(t, nil, append([]string{"-c", "/nonexistent.toml"}, args...)...)
		if r.code != 2 {
			t.Errorf("garage %v: exit %d, want 2 (stderr %q)", args, r.code, r.stderr)
		}
		fmt.Fprintf(&all, "== garage %s\n%s", strings.Join(args, " "), r.stderr)
	}
	golden(t, "usage.golden", all.String())
}
