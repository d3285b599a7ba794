package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime"
	"strings"
	"time"

	"github.com/gogarage/garage/experiments"
	"github.com/gogarage/garage/node/table"
)

// campaignFlags are the flags of the campaign command.
type campaignFlags struct {
	seeds, nemeses, workloads, mode, html string
	naiveTS, fsync, quiet, singleVersion  bool
	parallel                              int
}

func (cf *campaignFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&cf.seeds, "seeds", "1-100", "seeds to run: N, N-M or a comma-separated list of them")
	fs.StringVar(&cf.nemeses, "nemesis", "all", "nemesis classes, comma-separated ("+strings.Join(experiments.NemesisNames(), ", ")+"; layout: set workload only)")
	fs.StringVar(&cf.workloads, "workload", "register,set", "workloads, comma-separated (register, set)")
	fs.StringVar(&cf.mode, "mode", "consistent", "consistency mode: consistent, degraded or dangerous")
	fs.StringVar(&cf.html, "html", "results/campaign", "directory for the history HTML of each failure")
	fs.BoolVar(&cf.naiveTS, "naive-ts", false, "negative control: stamp writes with the local clock only")
	fs.BoolVar(&cf.fsync, "fsync", true, "make every metadata commit durable (metadata_fsync)")
	fs.BoolVar(&cf.singleVersion, "single-version", false, "negative control: the set table uses the newest layout version only")
	fs.BoolVar(&cf.quiet, "quiet", false, "print only the table, not each failing run")
	fs.IntVar(&cf.parallel, "parallel", runtime.NumCPU(), "runs in flight at once (each world is independent)")
}

// campaign builds the campaign the flags describe.
func (cf *campaignFlags) campaign() (experiments.Campaign, error) {
	seeds, err := experiments.ParseSeeds(cf.seeds)
	if err != nil {
		return experiments.Campaign{}, err
	}
	mode, err := table.ParseMode(cf.mode)
	if err != nil {
		return experiments.Campaign{}, err
	}
	c := experiments.Campaign{Seeds: seeds, Parallel: cf.parallel, HTMLDir: cf.html,
		Options: experiments.CampaignOptions{Mode: mode, NaiveTimestamps: cf.naiveTS, Fsync: cf.fsync,
			SingleVersionLayout: cf.singleVersion}}
	if c.Nemeses, err = nemesisList(cf.nemeses); err != nil {
		return c, err
	}
	c.Workloads, err = workloadList(cf.workloads)
	return c, err
}

func nemesisList(s string) ([]string, error) {
	var out []string
	for _, n := range strings.Split(s, ",") {
		n = strings.TrimSpace(n)
		if err := experiments.CheckNemesis(n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

func workloadList(s string) ([]string, error) {
	var out []string
	for _, w := range strings.Split(s, ",") {
		w = strings.TrimSpace(w)
		if !knownScenario(w) {
			return nil, fmt.Errorf("unknown workload %q (known: register, set)", w)
		}
		out = append(out, w)
	}
	return out, nil
}

// cmdCampaign runs seeds × workloads × nemeses, prints each failing run
// with its replay command and history files as it arrives, then the table.
func cmdCampaign(args []string, out io.Writer) error {
	var cf campaignFlags
	fs := newFlagSet("campaign", out)
	cf.register(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return usageError{err}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("unexpected argument %q", fs.Arg(0))}
	}
	c, err := cf.campaign()
	if err != nil {
		return usageError{err}
	}
	fmt.Fprintf(out, "campaign: %d seeds × %v × %v, %d in parallel\n", len(c.Seeds), c.Workloads, c.Nemeses, max(c.Parallel, 1))
	start := time.Now()
	outs := c.Run(func(o experiments.RunOutcome) {
		if o.Failed() && !cf.quiet {
			printFailure(out, o, c.Options)
		}
	})
	s := experiments.SummariseCampaign(outs)
	if err := s.Print(out); err != nil {
		return err
	}
	fmt.Fprintf(out, "wall time %v\n", time.Since(start).Round(time.Millisecond))
	if failed := s.Total().Failed; failed > 0 {
		return fmt.Errorf("%d of %d runs failed", failed, len(outs))
	}
	return nil
}

func printFailure(out io.Writer, o experiments.RunOutcome, opts experiments.CampaignOptions) {
	fmt.Fprintf(out, "FAIL %s: %s\n", o.Name(), o.Summary())
	fmt.Fprintf(out, "  replay: %s\n", o.Replay(opts))
	for _, f := range o.HTML {
		fmt.Fprintf(out, "  history: %s\n", f)
	}
}
