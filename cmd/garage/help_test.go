package main

import (
	"io"
	"os"
	"strings"
	"testing"
)

// leaves returns every command of the tree, groups included.
func allCommands(cmd *command) []*command {
	out := []*command{cmd}
	for _, s := range cmd.sub {
		out = append(out, allCommands(s)...)
	}
	return out
}

// TestEveryCommandHasHelp runs --help and -h on every command: exit 0, a
// one-line description, the usage, the flags with their defaults and an
// example on stdout.
func TestEveryCommandHasHelp(t *testing.T) {
	c := &cli{stdout: io.Discard, stderr: io.Discard, getenv: func(string) string { return "" }}
	for _, cmd := range allCommands(c.root()) {
		for _, flag := range []string{"--help", "-h", "help"} {
			if cmd.sub == nil && flag == "help" {
				continue
			}
			args := append(strings.Fields(cmd.name), flag)
			r := runGarage(t, nil, args...)
			name := strings.TrimSpace("garage " + cmd.name)
			switch {
			case r.code != 0 || r.stderr != "":
				t.Errorf("%s: exit %d, stderr %q; want 0 and nothing", strings.Join(args, " "), r.code, r.stderr)
			case !strings.HasPrefix(r.stdout, name+" — "+cmd.summary+"\n"):
				t.Errorf("%s: help does not start with its description:\n%s", strings.Join(args, " "), r.stdout)
			case !strings.Contains(r.stdout, "Usage:"):
				t.Errorf("%s: no usage:\n%s", strings.Join(args, " "), r.stdout)
			case cmd.sub == nil && (!strings.Contains(r.stdout, "\nExample:\n  garage ") || !strings.Contains(r.stdout, "--config <file>")):
				t.Errorf("%s: no example or no global flags:\n%s", strings.Join(args, " "), r.stdout)
			}
		}
	}
}

// TestHelpGolden keeps the help of a few commands, defaults included.
func TestHelpGolden(t *testing.T) {
	var all strings.Builder
	for _, args := range [][]string{{"--help"}, {"server", "--help"}, {"layout", "assign", "--help"}, {"layout", "--help"}} {
		r := runGarage(t, nil, args...)
		all.WriteString("== garage " + strings.Join(args, " ") + "\n" + r.stdout)
	}
	golden(t, "help.golden", all.String())
}

// TestConfigFlagAnywhere gives the configuration file before the
// command, after it, and after a group's name: all read it.
func TestConfigFlagAnywhere(t *testing.T) {
	cfg := "testdata/config/bad_mode.toml" // refused with an error naming it
	for _, args := range [][]string{
		{"-c", cfg, "node", "id"}, {"node", "id", "-c", cfg}, {"node", "-c", cfg, "id"},
		{"--config", cfg, "status"}, {"status", "--config=" + cfg}, {"layout", "show", "-c", cfg},
		{"layout", "assign", "-z", "dc1", "-c", "1G", "--config", cfg, "abcd"},
		{"server", "-c", cfg}, {"config", "check", "-c", cfg},
	} {
		r := runGarage(t, nil, args...)
		if r.code != 1 || !strings.Contains(r.stderr, cfg+":6: consistency_mode") {
			t.Errorf("garage %s: exit %d, stderr %q; want 1 and the error of %s", strings.Join(args, " "), r.code, r.stderr, cfg)
		}
	}
}

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"--version"}, {"-V"}, {"version"}} {
		r := runGarage(t, nil, args...)
		if r.code != 0 || !strings.HasPrefix(r.stdout, "garage ") || !strings.Contains(r.stdout, "go1.") {
			t.Errorf("garage %s: exit %d, stdout %q", strings.Join(args, " "), r.code, r.stdout)
		}
	}
}

// TestConfigKeys lists every documented key with its default.
func TestConfigKeys(t *testing.T) {
	r := runGarage(t, nil, "config", "keys")
	for _, want := range []string{"block_size  ", "1MiB", "admin.metrics_token", "GARAGE_PING_INTERVAL", "compression_level"} {
		if r.code != 0 || !strings.Contains(r.stdout, want) {
			t.Errorf("config keys: exit %d, output lacks %q:\n%s", r.code, want, r.stdout)
		}
	}
}

// TestReadmeListsKeys holds the README's table of configuration keys to
// `garage config keys`.
func TestReadmeListsKeys(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	r := runGarage(t, nil, "config", "keys")
	if r.code != 0 || !strings.Contains(string(readme), r.stdout) {
		t.Errorf("README.md does not hold the output of garage config keys (regenerate its table):\n%s", r.stdout)
	}
}
