package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/gogarage/garage/plots"
)

const plotDesc = `Redraws the figures of results directories from their CSV files alone:
every <name>.figure.json (written by an experiment) is drawn again as
<name>.png and <name>.svg beside it. Edit a CSV or a figure's JSON (title,
axes, series), then redraw; nothing is re-measured.`

func cmdPlot(args []string, out io.Writer) error {
	fs := newFlagSet("plot", "DIR...", plotDesc, out)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errHelp
		}
		return usageError{err}
	}
	if fs.NArg() == 0 {
		return usageError{fmt.Errorf("name a results directory (e.g. results/latency)")}
	}
	for _, dir := range fs.Args() {
		if err := plots.Render(dir); err != nil {
			return err
		}
		fmt.Fprintf(out, "redrew %s\n", dir)
	}
	return nil
}
