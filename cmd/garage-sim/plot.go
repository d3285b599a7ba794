package main

import (
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
	dirs, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(dirs) == 0 {
		return usageError{fmt.Errorf("name a results directory (e.g. results/latency)")}
	}
	for _, dir := range dirs {
		if err := plots.Render(dir); err != nil {
			return err
		}
		fmt.Fprintf(out, "redrew %s\n", dir)
	}
	return nil
}
