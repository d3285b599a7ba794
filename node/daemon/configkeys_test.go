package daemon

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// withSecret is baseConfig with a valid secret.
const withSecret = baseConfig + `rpc_secret = "` + secretA + `"` + "\n"

func TestLoadFullConfig(t *testing.T) {
	text := `metadata_dir = "/m"
data_dir = [
  { path = "/d1", capacity = "2T" },
  { path = "/d2", capacity = 1000000000 },
  { path = "/old", read_only = true },
]
replication_factor = 3
rpc_bind_addr = "127.0.0.1:3901"
rpc_secret = "` + secretA + `"
block_size = "4MiB"
block_ram_buffer_max = "1G"
compression_level = "none"
log_level = "warn,net=debug"
log_format = "json"

[s3_api]
api_bind_addr = "[::]:3900"
s3_region = "eu-west"
root_domain = ".s3.example.org"

[s3_web]
bind_addr = "[::]:3902"
root_domain = ".web.example.org"

[admin]
api_bind_addr = "127.0.0.1:3903"
admin_token = "adm"
metrics_token = "met"
`
	c, err := Load(writeConfig(t, text), Overrides{})
	if err != nil {
		t.Fatal(err)
	}
	wantDirs := []DataDir{{"/d1", 2e12, false}, {"/d2", 1e9, false}, {"/old", 0, true}}
	if got := c.DataDirs(); !slices.Equal(got, wantDirs) {
		t.Errorf("data dirs: got %+v, want %+v", got, wantDirs)
	}
	if lvl, on := c.CompressionLevel.Level(); on || lvl != 0 {
		t.Errorf("compression: got level %d on %t, want off", lvl, on)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"block_size", c.BlockSize.Bytes(), int64(4 << 20)},
		{"block_ram_buffer_max", c.BlockRAMBufferMax.Bytes(), int64(1e9)},
		{"s3 region", c.S3API.S3Region, "eu-west"},
		{"web index default", c.S3Web.Index, "index.html"},
		{"admin token", c.Admin.AdminToken, "adm"},
		{"metrics token", c.Admin.MetricsToken, "met"},
		{"primary data dir", c.PrimaryDataDir(), "/d1"},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s: got %v, want %v", ch.name, ch.got, ch.want)
		}
	}
}

func TestLoadDefaultsOfNewKeys(t *testing.T) {
	c, err := Load(writeConfig(t, withSecret), Overrides{})
	if err != nil {
		t.Fatal(err)
	}
	lvl, on := c.CompressionLevel.Level()
	if c.BlockSize.Bytes() != 1<<20 || c.BlockRAMBufferMax.Bytes() != 256<<20 || lvl != 1 || !on ||
		c.S3API.S3Region != "garage" || c.LogFormat != "text" || len(c.DataDirs()) != 1 {
		t.Errorf("defaults: got %+v", c)
	}
}

// TestLoadErrorsNameKeyAndLine checks that every bad value is reported
// with its key and the line of the file it is on.
func TestLoadErrorsNameKeyAndLine(t *testing.T) {
	tests := []struct {
		name, extra, key string
		line             int // in withSecret+extra (withSecret has 5 lines)
		msg              string
	}{
		{"bad unit", "block_size = \"10X\"\n", "block_size", 6, `unknown unit "X"`},
		{"no unit", "block_size = \"10\"\n", "block_size", 6, "has no unit"},
		{"tiny block", "block_size = 10\n", "block_size", 6, "want from 1.0 KB"},
		{"compression", "compression_level = 40\n", "compression_level", 6, "from -99 to 22"},
		{"compression word", "compression_level = \"max\"\n", "compression_level", 6, `"none" or a zstd level`},
		{"type", "metadata_fsync = \"yes\"\n", "metadata_fsync", 6, "got a string, want a bool"},
		{"misspelt", "\n\nrpc_bind_adr = \"x:1\"\n", "rpc_bind_adr", 8, `did you mean "rpc_bind_addr"`},
		{"garage key", "disable_scrub = true\n", "disable_scrub", 6, "does not support"},
		{"admin addr", "[admin]\napi_bind_addr = \"nowhere\"\n", "admin.api_bind_addr", 7, "want host:port"},
		{"s3 addr", "[s3_api]\n# comment\napi_bind_addr = \"h:99999\"\n", "s3_api.api_bind_addr", 8, "port from 1 to 65535"},
		{"web domain", "[s3_web]\nbind_addr = \"[::]:3902\"\n", "s3_web.root_domain", 6, "missing"},
		{"tokens", "[admin]\nadmin_token = \"a\"\nadmin_token_file = \"/f\"\n", "admin.admin_token", 7, "want only one"},
		{"log", "log_level = \"loud\"\n", "log_level", 6, `unknown level "loud"`},
		{"unknown admin key", "[admin]\ntoken = \"x\"\n", "admin.token", 7, "unknown key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeConfig(t, withSecret+tt.extra)
			_, err := Load(path, Overrides{})
			var ce *ConfigError
			if !errors.As(err, &ce) || ce.Key != tt.key || ce.Line != tt.line || !strings.Contains(ce.Msg, tt.msg) {
				t.Fatalf("got %v; want %s at line %d containing %q", err, tt.key, tt.line, tt.msg)
			}
			if want := path + ":" + itoa(tt.line) + ": " + tt.key + ": "; !strings.HasPrefix(err.Error(), "config "+want) {
				t.Errorf("message %q does not start with config %s", err, want)
			}
		})
	}
}

func TestDataDirErrors(t *testing.T) {
	tests := []struct{ value, msg string }{
		{`[{ path = "/a" }]`, "capacity missing"},
		{`[{ path = "/a", capacity = "1T", read_only = true }]`, "not both"},
		{`[{ path = "/a", read_only = true }]`, "every directory is read_only"},
		{`[{ path = "/a", capacity = "1T" }, { path = "/a/", capacity = "1T" }]`, "appears twice"},
		{`[{ capacity = "1T" }]`, "path: missing"},
		{`[{ path = "/a", capacity = "10X" }]`, `entry 1: capacity: "10X": unknown unit`},
		{`[{ path = "/a", size = "1T" }]`, `unknown key "size"`},
		{`["/a"]`, "want a table"},
		{`42`, "got an integer"},
	}
	for _, tt := range tests {
		text := strings.Replace(withSecret, `data_dir = "/d"`, "data_dir = "+tt.value, 1)
		_, err := Load(writeConfig(t, text), Overrides{})
		var ce *ConfigError
		if !errors.As(err, &ce) || ce.Key != "data_dir" || ce.Line != 2 || !strings.Contains(ce.Msg, tt.msg) {
			t.Errorf("data_dir = %s: got %v; want data_dir at line 2 containing %q", tt.value, err, tt.msg)
		}
	}
}

func TestTokenSources(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "token")
	if err := os.WriteFile(file, []byte("from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	open := filepath.Join(dir, "open")
	if err := os.WriteFile(open, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chmod(open, 0o644)
	tests := []struct {
		name, extra string
		ov          Overrides
		admin, met  string
		wantErr     string
	}{
		{"inline", "[admin]\nadmin_token = \"a\"\n", Overrides{}, "a", "", ""},
		{"file", "[admin]\nadmin_token_file = \"" + file + "\"\n", Overrides{}, "from-file", "", ""},
		{"env wins", "[admin]\nadmin_token = \"a\"\n", Overrides{AdminToken: "env", MetricsToken: "m"}, "env", "m", ""},
		{"env file wins", "", Overrides{AdminToken: "env", AdminTokenFile: file, MetricsTokenFile: file}, "from-file", "from-file", ""},
		{"open file", "[admin]\nmetrics_token_file = \"" + open + "\"\n", Overrides{}, "", "", "mode 0644"},
		{"missing file", "", Overrides{AdminTokenFile: "/nonexistent/t"}, "", "", "GARAGE_ADMIN_TOKEN_FILE: stat /nonexistent/t"},
	}
	for _, tt := range tests {
		c, err := Load(writeConfig(t, withSecret+tt.extra), tt.ov)
		switch {
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("%s: got %v, want an error containing %q", tt.name, err, tt.wantErr)
		case tt.wantErr == "" && (err != nil || c.Admin.AdminToken != tt.admin || c.Admin.MetricsToken != tt.met):
			t.Errorf("%s: got admin %q metrics %q, %v; want %q and %q", tt.name, c.Admin.AdminToken, c.Admin.MetricsToken, err, tt.admin, tt.met)
		}
	}
}

// TestKeysDocumentConfig holds the documented keys to the fields of
// Config: every key the file may set is documented, and nothing else.
func TestKeysDocumentConfig(t *testing.T) {
	var fromStruct []string
	var walk func(prefix string, typ reflect.Type)
	walk = func(prefix string, typ reflect.Type) {
		for f := range typ.Fields() {
			tag := f.Tag.Get("toml")
			if tag == "" || tag == "-" {
				continue
			}
			if f.Type.Kind() == reflect.Struct && f.Type.NumField() > 0 && f.Type.Field(0).IsExported() {
				walk(prefix+tag+".", f.Type)
				continue
			}
			fromStruct = append(fromStruct, prefix+tag)
		}
	}
	walk("", reflect.TypeFor[Config]())
	var documented []string
	for _, k := range Keys() {
		documented = append(documented, k.Name)
	}
	slices.Sort(fromStruct)
	slices.Sort(documented)
	if !slices.Equal(fromStruct, documented) {
		t.Errorf("Config keys %v\ndocumented %v", fromStruct, documented)
	}
}

func TestParseLogLevel(t *testing.T) {
	ls, err := ParseLogLevel("garage=warn,netapp=debug,table=error")
	if err != nil || ls.Default != 4 || ls.Parts["net"] != -4 || ls.Parts["table"] != 8 {
		t.Errorf("got %+v, %v", ls, err)
	}
	if _, err := ParseLogLevel("info,net=chatty"); err == nil || !strings.Contains(err.Error(), `"net=chatty"`) {
		t.Errorf("bad directive: got %v", err)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
