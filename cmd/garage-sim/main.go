// Command garage-sim runs the project's scenarios: in the deterministic
// simulator (run, lockstep) or on real nodes over loopback TCP (real).
//
//	garage-sim run      [--scenario register] [--seed 7] [flags]
//	garage-sim lockstep [--scenario register] [--seed 7] [flags]
//	garage-sim real     [--scenario register] [flags]
//	garage-sim compare  [--scenario register] [flags]
//	garage-sim campaign [--seeds 1-1000] [--nemesis all] [--workload register,set] [flags]
//	garage-sim realcluster [--nodes 5] [--rtt 100ms] [--jitter 20ms] [--kills 5] [--fsync] [flags]
package main

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"
)

func main() {
	// A simulated world allocates small objects at a high rate and keeps
	// little live data: collecting less often makes runs about a quarter
	// faster. GOGC in the environment still wins.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `usage: garage-sim <command> [flags]

commands:
  run       run a scenario in the simulator and print its trace hash, latencies and checks
  lockstep  run a seed twice step by step and name the first diverging step
  real      run a scenario on real nodes over loopback TCP with the netem shaper
  compare   run a scenario in the simulator and on real nodes; print mean latencies side by side
  campaign  run seeds × workloads × nemeses in the simulator; print violations per check
  realcluster  run the register workload against real garage processes with kills; check it

Run 'garage-sim <command> --help' for the flags of a command.
`

// run dispatches a command line and returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		args = []string{"run"}
	}
	var err error
	switch args[0] {
	case "run":
		err = cmdRun(args[1:], stdout)
	case "lockstep":
		err = cmdLockstep(args[1:], stdout)
	case "real":
		err = cmdReal(args[1:], stdout)
	case "compare":
		err = cmdCompare(args[1:], stdout)
	case "campaign":
		err = cmdCampaign(args[1:], stdout)
	case "realcluster":
		err = cmdRealcluster(args[1:], stdout)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "garage-sim: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	if err != nil {
		fmt.Fprintf(stderr, "garage-sim %s: %v\n", args[0], err)
		if _, ok := err.(usageError); ok {
			return 2
		}
		return 1
	}
	return 0
}

// usageError marks bad command-line input.
type usageError struct{ error }
