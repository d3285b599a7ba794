package main

import (
	"fmt"
	"strings"
)

// deployHeader is the start of deploy.sh: its settings and functions.
const deployHeader = `#!/bin/sh
# Deploys a Garage cluster: written by garage-sim deploy. Run it from its
# directory. SSH and SCP are the commands that reach the hosts (default
# ssh and scp), GARAGE the garage binary to copy (default ./garage).
set -eu
cd "$(dirname "$0")"
SSH=${SSH:-ssh}
SCP=${SCP:-scp}
GARAGE=${GARAGE:-./garage}
[ -x "$GARAGE" ] || { echo "deploy.sh: no garage binary at $GARAGE (set GARAGE)" >&2; exit 1; }

# install NAME TARGET BIN CONFIG META DATA START: copy and (re)start a node.
install() {
	name=$1 target=$2 bin=$3 config=$4 meta=$5 data=$6 start=$7
	echo "== $name: install on $target"
	$SSH "$target" "mkdir -p '$(dirname "$bin")' '$(dirname "$config")' '$meta' '$data'"
	$SCP "$GARAGE" "$target:$bin"
	$SCP "$name/garage.toml" "$target:$config"
	if [ "$start" = systemd ]; then
		$SCP "$name/garage.service" "$target:/etc/systemd/system/garage.service"
		$SSH "$target" "systemctl daemon-reload && systemctl enable garage && systemctl restart garage"
	else
		$SSH "$target" "if [ -f '$meta/garage.pid' ]; then kill \$(cat '$meta/garage.pid') 2>/dev/null || true; sleep 1; fi; nohup '$bin' server -c '$config' >>'$meta/server.log' 2>&1 </dev/null & echo \$! >'$meta/garage.pid'"
	fi
}

# retry CMD...: run a command until it succeeds, for up to 60 s.
retry() {
	i=0
	until "$@"; do
		i=$((i + 1))
		[ "$i" -lt 60 ] || { echo "deploy.sh: gave up on: $*" >&2; exit 1; }
		sleep 1
	done
}
`

// deployScript is deploy.sh for inv: install every host, learn the node
// ids, connect them from the first host, assign the roles and apply.
func deployScript(inv inventory) string {
	var b strings.Builder
	b.WriteString(deployHeader)
	first := inv.Hosts[0]
	fmt.Fprintf(&b, "\n# garage on the first host, which the cluster is driven from.\ng1() { $SSH %s \"'%s' -c '%s' $*\"; }\n",
		first.target(), first.BinPath, first.ConfigPath)
	b.WriteString("\n")
	for _, h := range inv.Hosts {
		fmt.Fprintf(&b, "install %s %s '%s' '%s' '%s' '%s' %s\n", h.Name, h.target(), h.BinPath, h.ConfigPath, h.MetadataDir, h.DataDir, h.Start)
	}
	b.WriteString("\n")
	for i, h := range inv.Hosts {
		fmt.Fprintf(&b, "retry $SSH %s \"'%s' -c '%s' node id -q\" >/dev/null 2>&1\n", h.target(), h.BinPath, h.ConfigPath)
		fmt.Fprintf(&b, "ID%d=$($SSH %s \"'%s' -c '%s' node id -q\")\n", i, h.target(), h.BinPath, h.ConfigPath)
		if i > 0 {
			fmt.Fprintf(&b, "retry g1 node connect \"$ID%d\"\n", i)
		}
	}
	b.WriteString("\n")
	for i, h := range inv.Hosts {
		fmt.Fprintf(&b, "g1 layout assign -z %s -c %s \"${ID%d%%%%@*}\"\n", h.Zone, h.Capacity, i)
	}
	b.WriteString(`
if g1 layout show | grep -q 'STAGED ROLE CHANGES'; then
	version=$(g1 layout show | sed -n 's/^Current cluster layout version: //p')
	g1 layout apply --version $((version + 1))
fi
g1 status
echo "deploy.sh: done; the admin token is in $(pwd)/admin_token"
`)
	return b.String()
}

// stopScript is stop.sh: stop every node of inv.
func stopScript(inv inventory) string {
	var b strings.Builder
	b.WriteString("#!/bin/sh\n# Stops the nodes deploy.sh started: written by garage-sim deploy.\nset -u\nSSH=${SSH:-ssh}\n")
	for _, h := range inv.Hosts {
		if h.Start == "systemd" {
			fmt.Fprintf(&b, "$SSH %s 'systemctl stop garage' && echo \"stopped %s\"\n", h.target(), h.Name)
			continue
		}
		fmt.Fprintf(&b, "$SSH %s \"kill \\$(cat '%s/garage.pid') && rm '%s/garage.pid'\" && echo \"stopped %s\"\n",
			h.target(), h.MetadataDir, h.MetadataDir, h.Name)
	}
	return b.String()
}
