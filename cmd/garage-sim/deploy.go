package main

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/gogarage/garage/layout"
)

const deployDesc = `Turns an inventory of hosts (TOML) into what deploys a Garage cluster on
them: one garage.toml per host, a systemd unit, deploy.sh (copies the
binary and configuration over ssh/scp, starts the nodes, connects them,
assigns every host its zone and capacity and applies the layout) and
stop.sh. The scripts read SSH, SCP and GARAGE (the binary to copy,
default ./garage) from the environment. Inventory:

  replication_factor = 3
  ssh_user = "root"            # defaults of every host, each overridable:
  start = "systemd"            # or "process" (nohup, without systemd)
  rpc_port = 3901
  admin_port = 3903
  bin_path = "/usr/local/bin/garage"
  config_path = "/etc/garage.toml"
  metadata_dir = "/var/lib/garage/meta"
  data_dir = "/var/lib/garage/data"

  [[host]]
  name = "paris-1"
  address = "10.0.0.1"
  zone = "paris"
  capacity = "1T"`

// hostSpec is one host of an inventory, or the defaults of all.
type hostSpec struct {
	Name        string `toml:"name"`
	Address     string `toml:"address"`
	Zone        string `toml:"zone"`
	Capacity    string `toml:"capacity"`
	SSHUser     string `toml:"ssh_user"`
	Start       string `toml:"start"`
	RPCPort     int    `toml:"rpc_port"`
	AdminPort   int    `toml:"admin_port"`
	BinPath     string `toml:"bin_path"`
	ConfigPath  string `toml:"config_path"`
	MetadataDir string `toml:"metadata_dir"`
	DataDir     string `toml:"data_dir"`
}

// inventory is the file garage-sim deploy reads.
type inventory struct {
	hostSpec
	ReplicationFactor int        `toml:"replication_factor"`
	Hosts             []hostSpec `toml:"host"`
}

// loadInventory reads and checks an inventory, filling each host from
// the defaults.
func loadInventory(path string) (inventory, error) {
	inv := inventory{hostSpec: hostSpec{SSHUser: "root", Start: "systemd", RPCPort: 3901, AdminPort: 3903,
		BinPath: "/usr/local/bin/garage", ConfigPath: "/etc/garage.toml",
		MetadataDir: "/var/lib/garage/meta", DataDir: "/var/lib/garage/data"}, ReplicationFactor: 3}
	md, err := toml.DecodeFile(path, &inv)
	if err != nil {
		return inv, fmt.Errorf("inventory %s: %w", path, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		return inv, fmt.Errorf("inventory %s: unknown key %s", path, und[0])
	}
	if len(inv.Hosts) < inv.ReplicationFactor {
		return inv, fmt.Errorf("inventory %s: %d hosts for replication_factor %d", path, len(inv.Hosts), inv.ReplicationFactor)
	}
	seen := map[string]bool{}
	for i := range inv.Hosts {
		h := &inv.Hosts[i]
		h.fill(inv.hostSpec)
		if err := h.check(seen); err != nil {
			return inv, fmt.Errorf("inventory %s: host %d: %w", path, i+1, err)
		}
	}
	return inv, nil
}

func (h *hostSpec) fill(d hostSpec) {
	or := func(s *string, v string) {
		if *s == "" {
			*s = v
		}
	}
	or(&h.SSHUser, d.SSHUser)
	or(&h.Start, d.Start)
	or(&h.BinPath, d.BinPath)
	or(&h.ConfigPath, d.ConfigPath)
	or(&h.MetadataDir, d.MetadataDir)
	or(&h.DataDir, d.DataDir)
	if h.RPCPort == 0 {
		h.RPCPort = d.RPCPort
	}
	if h.AdminPort == 0 {
		h.AdminPort = d.AdminPort
	}
}

func (h *hostSpec) check(seen map[string]bool) error {
	switch {
	case h.Name == "" || strings.ContainsAny(h.Name, "/ '\""):
		return fmt.Errorf("name %q: want a simple name", h.Name)
	case seen[h.Name]:
		return fmt.Errorf("name %q appears twice", h.Name)
	case h.Address == "" || h.Zone == "":
		return fmt.Errorf("%s: address and zone are required", h.Name)
	case h.Start != "systemd" && h.Start != "process":
		return fmt.Errorf("%s: start %q: want \"systemd\" or \"process\"", h.Name, h.Start)
	}
	seen[h.Name] = true
	if _, err := layout.ParseBytes(h.Capacity); err != nil || h.Capacity == "" {
		return fmt.Errorf("%s: capacity %q: want a size such as \"1T\"", h.Name, h.Capacity)
	}
	return nil
}

func (h hostSpec) target() string { return h.SSHUser + "@" + h.Address }

func (h hostSpec) rpcAddr() string { return fmt.Sprintf("%s:%d", hostPort(h.Address), h.RPCPort) }

// hostPort brackets an IPv6 address.
func hostPort(a string) string {
	if strings.Contains(a, ":") {
		return "[" + a + "]"
	}
	return a
}

// cmdDeploy writes the deployment of an inventory.
func cmdDeploy(args []string, out io.Writer) error {
	fs := newFlagSet("deploy", "--inventory hosts.toml --out DIR", deployDesc, out)
	invPath := fs.String("inventory", "", "inventory of the hosts (TOML, see above)")
	dir := fs.String("out", "deploy", "directory to write the configurations and scripts to")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *invPath == "" {
		return usageError{fmt.Errorf("--inventory is required")}
	}
	inv, err := loadInventory(*invPath)
	if err != nil {
		return err
	}
	if err := writeDeploy(inv, *dir); err != nil {
		return err
	}
	fmt.Fprintf(out, "wrote %s: %d host configurations, deploy.sh and stop.sh\nrun: cd %s && GARAGE=/path/to/garage ./deploy.sh\n",
		*dir, len(inv.Hosts), *dir)
	return nil
}

// writeDeploy writes every file of the deployment into dir, with a fresh
// rpc_secret and admin token shared by the hosts.
func writeDeploy(inv inventory, dir string) error {
	secret, token := make([]byte, 32), make([]byte, 24)
	rand.Read(secret)
	rand.Read(token)
	s := deploySecrets{rpc: hex.EncodeToString(secret), admin: base64.RawURLEncoding.EncodeToString(token)}
	files := map[string]string{"deploy.sh": deployScript(inv), "stop.sh": stopScript(inv), "admin_token": s.admin + "\n"}
	for _, h := range inv.Hosts {
		files[filepath.Join(h.Name, "garage.toml")] = hostConfig(inv, h, s)
		files[filepath.Join(h.Name, "garage.service")] = systemdUnit(h)
	}
	for name, text := range files {
		mode := os.FileMode(0o600)
		if strings.HasSuffix(name, ".sh") {
			mode = 0o755
		}
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(text), mode); err != nil {
			return err
		}
	}
	return nil
}

type deploySecrets struct{ rpc, admin string }

// hostConfig is the garage.toml of host h.
func hostConfig(inv inventory, h hostSpec, s deploySecrets) string {
	return fmt.Sprintf(`# %s, zone %s: written by garage-sim deploy
metadata_dir = %q
data_dir = %q
metadata_fsync = true
data_fsync = true
replication_factor = %d
consistency_mode = "consistent"
rpc_bind_addr = %q
rpc_public_addr = %q
rpc_secret = %q

[admin]
api_bind_addr = "%s:%d"
admin_token = %q
metrics_token = %q
`, h.Name, h.Zone, h.MetadataDir, h.DataDir, inv.ReplicationFactor, h.rpcAddr(), h.rpcAddr(), s.rpc,
		hostPort(h.Address), h.AdminPort, s.admin, s.admin)
}

// systemdUnit is the unit that runs the node of h.
func systemdUnit(h hostSpec) string {
	return fmt.Sprintf(`[Unit]
Description=Garage object store node (%s)
After=network-online.target
Wants=network-online.target

[Service]
ExecStart=%s server -c %s
Environment=GARAGE_LOG_LEVEL=info
Restart=on-failure
LimitNOFILE=42000
StateDirectory=garage

[Install]
WantedBy=multi-user.target
`, h.Name, h.BinPath, h.ConfigPath)
}
