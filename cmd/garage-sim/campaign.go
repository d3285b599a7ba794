package main

import (
	"flag"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/gogarage/garage/experiments/campaign"
	"github.com/gogarage/garage/node/garage"
	"github.com/gogarage/garage/node/table"
)

const campaignDesc = `Runs every seed × workload × nemesis class in the simulator (one world per core),
judges each history with the checker and prints a table: runs, failed runs,
runs that could not finish (errs), then the violations of each gating check —
raw: read-after-write, list: list-after-write, durab: durability of
acknowledged writes, ts: timestamp monotonicity, conv: replica convergence —
the linearizability canary (reported, never a gate), operations, nemesis
events, and virtual and wall time summed over the runs. Each failing run is
printed with the command that replays it and the HTML history of its failing
keys. Negative controls (--mode degraded/dangerous, --naive-ts, --no-redo,
--single-version, --nemesis mode-flip) are expected to fail: the campaign then
says so.`

// campaignFlags are the flags of the campaign command.
type campaignFlags struct {
	seeds, nemeses, workloads, mode, html string
	naiveTS, fsync, quiet, singleVersion  bool
	noRedo                                bool
	noVerify                              bool
	parallel                              int
}

func (cf *campaignFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&cf.seeds, "seeds", "1-100", "seeds to run: N, N-M or a comma-separated list of them")
	fs.StringVar(&cf.nemeses, "nemesis", "all", "nemesis classes, comma-separated: "+strings.Join(campaign.NemesisNames(), ", "))
	fs.StringVar(&cf.workloads, "workload", "register,set", "workloads, comma-separated: "+strings.Join(campaign.Workloads(), ", "))
	fs.StringVar(&cf.mode, "mode", "consistent", "consistency mode: consistent, degraded (negative control) or dangerous (negative control)")
	fs.StringVar(&cf.html, "html", "results/campaign", "directory for the history HTML of each failure")
	fs.BoolVar(&cf.naiveTS, "naive-ts", false, "negative control: stamp writes with the local clock only")
	fs.BoolVar(&cf.fsync, "fsync", true, "make every metadata commit durable (metadata_fsync)")
	fs.BoolVar(&cf.noRedo, "no-redo", false, "negative control: object writes keep their optimistic timestamp (no redo on a newer version)")
	fs.BoolVar(&cf.noVerify, "no-verify", false, "negative control: blocks are served without checking their hash")
	fs.BoolVar(&cf.singleVersion, "single-version", false, "negative control: tables use the newest layout version only")
	fs.BoolVar(&cf.quiet, "quiet", false, "print only the table, not each failing run")
	fs.IntVar(&cf.parallel, "parallel", runtime.NumCPU(), "runs in flight at once (each world is independent)")
}

// campaign builds the campaign the flags describe.
func (cf *campaignFlags) campaign() (campaign.Campaign, error) {
	seeds, err := campaign.ParseSeeds(cf.seeds)
	if err != nil {
		return campaign.Campaign{}, err
	}
	mode, err := table.ParseMode(cf.mode)
	if err != nil {
		return campaign.Campaign{}, err
	}
	c := campaign.Campaign{Seeds: seeds, Parallel: cf.parallel, HTMLDir: cf.html,
		Options: campaign.Options{Mode: mode, Fsync: cf.fsync}}
	c.Options.Controls.NaiveTimestamps, c.Options.Controls.SingleVersionLayout = cf.naiveTS, cf.singleVersion
	c.Options.Controls.NoTimestampRedo = cf.noRedo
	c.Options.Controls.NoBlockVerify = cf.noVerify
	if c.Nemeses, err = list(cf.nemeses, campaign.CheckNemesis); err != nil {
		return c, err
	}
	c.Workloads, err = list(cf.workloads, campaign.CheckWorkload)
	return c, err
}

// list splits a comma-separated list and checks every name.
func list(s string, check func(string) error) ([]string, error) {
	var out []string
	for _, n := range strings.Split(s, ",") {
		n = strings.TrimSpace(n)
		if err := check(n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

// negative reports whether the campaign runs a negative control.
func negative(c campaign.Campaign) bool {
	o := c.Options
	if o.Mode != table.Consistent || o.Controls != (garage.Controls{}) {
		return true
	}
	return slices.ContainsFunc(c.Nemeses, func(n string) bool { return slices.Contains(campaign.NegativeControls(), n) })
}

// cmdCampaign runs seeds × workloads × nemeses, prints each failing run
// with its replay command and history files as it arrives, then the table.
func cmdCampaign(args []string, out io.Writer) error {
	var cf campaignFlags
	fs := newFlagSet("campaign", "[flags]", campaignDesc, out)
	cf.register(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	c, err := cf.campaign()
	if err != nil {
		return usageError{err}
	}
	fmt.Fprintf(out, "campaign: %d seeds × %v × %v, %d in parallel\n", len(c.Seeds), c.Workloads, c.Nemeses, max(c.Parallel, 1))
	start := time.Now()
	outs := c.Run(func(o campaign.RunOutcome) {
		if o.Failed() && !cf.quiet {
			printFailure(out, o, c.Options)
		}
	})
	s := campaign.SummariseCampaign(outs)
	if err := s.Print(out); err != nil {
		return err
	}
	fmt.Fprintf(out, "wall time %v\n", time.Since(start).Round(time.Millisecond))
	return campaignVerdict(out, c, s, len(outs))
}

// campaignVerdict prints the PASS or FAIL line and where failures were
// written; a negative control that failed says that it was expected to.
func campaignVerdict(out io.Writer, c campaign.Campaign, s campaign.Summary, runs int) error {
	failed := s.Total().Failed
	if failed == 0 {
		fmt.Fprintf(out, "PASS %d runs, 0 failed\n", runs)
		if negative(c) {
			fmt.Fprintln(out, "note: this is a negative control, expected to fail: the checks did not see it")
		}
		return nil
	}
	fmt.Fprintf(out, "FAIL %d of %d runs failed; histories in %s\n", failed, runs, c.HTMLDir)
	if negative(c) {
		fmt.Fprintf(out, "note: this is a negative control: failures were expected (caught %d of %d runs)\n", failed, runs)
	}
	return fmt.Errorf("%d of %d runs failed", failed, runs)
}

func printFailure(out io.Writer, o campaign.RunOutcome, opts campaign.Options) {
	fmt.Fprintf(out, "FAIL %s: %s\n", o.Name(), o.Summary())
	fmt.Fprintf(out, "  replay: %s\n", o.Replay(opts))
	for _, f := range o.HTML {
		fmt.Fprintf(out, "  history: %s\n", f)
	}
}
