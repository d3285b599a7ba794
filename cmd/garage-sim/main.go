// Command garage-sim is the researcher's tool of the project: it runs
// scenarios on assembled Garage nodes in the deterministic simulator,
// campaigns of them judged by the checker, and the same workloads against
// real `garage server` processes.
//
//	garage-sim run         [--workload register] [--seed 7] [--nemesis none] [flags]
//	garage-sim lockstep    [same flags as run]
//	garage-sim campaign    [--seeds 1-100] [--nemesis all] [--workload register,set] [flags]
//	garage-sim realcluster [--nodes 5] [--rtt 100ms] [--jitter 20ms] [--kills 5] [flags]
//	garage-sim experiment  <name>|all [--real|--target FILE] [--quick] [--seed 1] [--out results]
//	garage-sim plot        DIR...
//	garage-sim deploy      --inventory hosts.toml --out DIR
//	garage-sim cluster     up [--nodes 3] [--zones 3] [--rtt 100ms --jitter 20ms] | status | down [--dir DIR]
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/gogarage/garage/experiments/campaign"
)

func main() {
	// A simulated world allocates small objects at a high rate and keeps
	// little live data: collecting less often makes runs about a quarter
	// faster. GOGC in the environment still wins.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(campaign.GCPercent)
	}
	// But a campaign's worlds hold their simulated disks (every block
	// written, and the durable copy a crash returns to): at GOGC=400 the
	// heap of a long S3 campaign grew to the machine's 24 GiB and was
	// killed. A soft limit makes the collector work harder only near it.
	// GOMEMLIMIT in the environment still wins.
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(defaultMemoryLimit(memTotal()))
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// defaultMemoryLimit is a quarter of the machine's memory, at most 4 GiB
// (2 GiB when the total is unknown, 0).
func defaultMemoryLimit(total int64) int64 {
	if total <= 0 {
		return 2 << 30
	}
	return min(total/4, 4<<30)
}

// memTotal returns the machine's memory in bytes from /proc/meminfo, or
// 0 if it cannot tell.
func memTotal() int64 {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(b)) {
		f := strings.Fields(line)
		if len(f) >= 3 && f[0] == "MemTotal:" && f[2] == "kB" {
			kb, err := strconv.ParseInt(f[1], 10, 64)
			if err != nil {
				return 0
			}
			return kb << 10
		}
	}
	return 0
}

const usage = `usage: garage-sim <command> [flags]

Simulated runs use assembled Garage nodes (the code garage server runs) in a
deterministic simulator: same seed, same run, bit for bit.

commands:
  run          run one scenario in the simulator: trace hash, latencies, checks
  lockstep     run a scenario twice step by step and name the first divergence
  campaign     run seeds × workloads × nemeses in the simulator; violations per check
  realcluster  run the register workload against real garage processes with kills; check it
  experiment   run a named experiment (latency, scaling, zone-failure, …) or all: CSV and figures
  plot         redraw the figures of a results directory from its CSV files
  cluster      up|status|down: a local cluster of real garage processes that keeps running
  deploy       an inventory of hosts -> garage.toml per host, systemd units, deploy.sh (ssh/scp)

Run 'garage-sim <command> --help' for the flags of a command, their choices
and defaults.

environment: GOGC (400 here unless set) and GOMEMLIMIT (a soft limit of a
quarter of the machine's memory, at most 4 GiB, unless set).
`

// run dispatches a command line and returns the exit status: 0 on
// success, 1 when a run failed, 2 on bad usage.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cmds := map[string]func([]string, io.Writer) error{
		"run": cmdRun, "lockstep": cmdLockstep, "campaign": cmdCampaign,
		"realcluster": cmdRealcluster, "cluster": cmdCluster, "deploy": cmdDeploy,
		"experiment": cmdExperiment, "plot": cmdPlot,
	}
	if args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(stdout, usage)
		return 0
	}
	cmd := cmds[args[0]]
	if cmd == nil {
		fmt.Fprintf(stderr, "garage-sim: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	err := cmd(args[1:], stdout)
	if errors.Is(err, errHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "garage-sim %s: %v\n", args[0], err)
		var ue usageError
		if errors.As(err, &ue) {
			return 2
		}
		return 1
	}
	return 0
}

// usageError marks bad command-line input (exit status 2).
type usageError struct{ error }

// errHelp ends a command that printed its help.
var errHelp = errors.New("help printed")
