package daemon

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gogarage/garage/node/table"
)

const (
	secretA = "2f1a5bd6c4e93a0c7de8b6f05a9412c3d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3"
	secretB = "0000000000000000000000000000000000000000000000000000000000000001"
)

const baseConfig = `metadata_dir = "/m"
data_dir = "/d"
replication_factor = 3
rpc_bind_addr = "127.0.0.1:3901"
`

// writeConfig writes text to a garage.toml in a fresh directory.
func writeConfig(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "garage.toml")
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadDefaults(t *testing.T) {
	c, err := Load(writeConfig(t, baseConfig+`rpc_secret = "`+secretA+`"`), Overrides{})
	if err != nil {
		t.Fatal(err)
	}
	if c.DBEngine != "bbolt" || c.Mode != table.Consistent || c.RPCPublicAddr != "127.0.0.1:3901" {
		t.Errorf("defaults: got engine %q mode %v public %q; want bbolt, consistent, the bind address",
			c.DBEngine, c.Mode, c.RPCPublicAddr)
	}
	if c.Secret[0] != 0x2f || c.Secret[31] != 0xa3 {
		t.Errorf("secret decoded as %x", c.Secret)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name, text, key, msg string
	}{
		{"unknown key", baseConfig + "rpc_secret = \"" + secretA + "\"\nfoo = 1\n", "foo", "unknown key"},
		{"bad mode", baseConfig + "rpc_secret = \"" + secretA + "\"\nconsistency_mode = \"weak\"\n", "consistency_mode", `got "weak"`},
		{"negative rf", strings.Replace(baseConfig, "= 3", "= -1", 1) + "rpc_secret = \"" + secretA + "\"\n", "replication_factor", "got -1"},
		{"public without port", baseConfig + "rpc_secret = \"" + secretA + "\"\nrpc_public_addr = \"host\"\n", "rpc_public_addr", "want host:port"},
		{"peer bad port", baseConfig + "rpc_secret = \"" + secretA + "\"\nbootstrap_peers = [\"" + secretA + "@h:0\"]\n", "bootstrap_peers[0]", "bad port"},
		{"no secret", baseConfig, "rpc_secret", "missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(writeConfig(t, tt.text), Overrides{})
			var ce *ConfigError
			if !errors.As(err, &ce) || ce.Key != tt.key || !strings.Contains(ce.Msg, tt.msg) {
				t.Errorf("got %v; want a ConfigError on %s containing %q", err, tt.key, tt.msg)
			}
		})
	}
}

func TestSecretPrecedence(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "secret")
	if err := os.WriteFile(file, []byte(secretB+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	inFile := baseConfig + `rpc_secret = "` + secretA + `"`
	tests := []struct {
		name string
		ov   Overrides
		last byte // last byte of the secret chosen
	}{
		{"config value", Overrides{}, 0xa3},
		{"env value wins", Overrides{RPCSecret: secretB}, 0x01},
		{"env file wins over env value", Overrides{RPCSecret: secretA, RPCSecretFile: file}, 0x01},
	}
	for _, tt := range tests {
		c, err := Load(writeConfig(t, inFile), tt.ov)
		if err != nil || c.Secret[31] != tt.last {
			t.Errorf("%s: got %x, %v; want last byte %x", tt.name, c.Secret, err, tt.last)
		}
	}
}

func TestSecretFilePermissions(t *testing.T) {
	file := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(file, []byte(secretB), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(file, 0o644); err != nil {
		t.Fatal(err)
	}
	text := baseConfig + `rpc_secret_file = "` + file + `"` + "\n"
	_, err := Load(writeConfig(t, text), Overrides{})
	if err == nil || !strings.Contains(err.Error(), "mode 0644") {
		t.Errorf("world-readable secret file: got %v, want an error naming its mode", err)
	}
	for _, allowed := range []struct {
		text string
		ov   Overrides
	}{
		{text + "allow_world_readable_secrets = true\n", Overrides{}},
		{text, Overrides{AllowWorldReadableSecrets: "true"}},
	} {
		if _, err := Load(writeConfig(t, allowed.text), allowed.ov); err != nil {
			t.Errorf("allowed world-readable secret file: %v", err)
		}
	}
}

func TestEnvOverrides(t *testing.T) {
	env := map[string]string{"GARAGE_RPC_SECRET": "s", "GARAGE_RPC_SECRET_FILE": "f", "GARAGE_ALLOW_WORLD_READABLE_SECRETS": "true"}
	got := EnvOverrides(func(k string) string { return env[k] })
	want := Overrides{RPCSecret: "s", RPCSecretFile: "f", AllowWorldReadableSecrets: "true"}
	if got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
	merged := Overrides{RPCSecret: "flag"}.Merge(got)
	if merged.RPCSecret != "flag" || merged.RPCSecretFile != "f" {
		t.Errorf("merge: got %+v; want the flag's secret and the environment's file", merged)
	}
}
