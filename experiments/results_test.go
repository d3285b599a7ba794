package experiments

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gogarage/garage/experiments/results"
	"github.com/gogarage/garage/plots"
	"github.com/gogarage/garage/plots/spec"
)

// TestResultsDrawnByPlots is the path every experiment takes: write a
// table, a figure spec and meta.json with package results, then draw the
// directory with plots.Render alone.
func TestResultsDrawnByPlots(t *testing.T) {
	d, err := results.Create(t.TempDir(), "latency")
	if err != nil {
		t.Fatal(err)
	}
	tab := results.NewTable("latency", results.Text("endpoint"), results.Text("source"),
		results.Duration("mean", "ms", 3), results.Duration("min", "ms", 3), results.Duration("max", "ms", 3))
	tab.Add("GetObject", "ours (sim)", 121*time.Millisecond, 83*time.Millisecond, 162*time.Millisecond)
	tab.Add("GetObject", "Garage 0.5.0 (published)", 129*time.Millisecond, nil, nil)
	fig := spec.Figure{Name: "latency", Data: "latency.csv", Bar: &spec.Bar{
		Category: "endpoint", Value: "mean_ms", Low: "min_ms", High: "max_ms", Series: "source",
		YAxis: spec.Axis{Label: "Latency", Unit: "ms", Log: true},
	}}
	for _, err := range []error{
		d.WriteTable(tab), d.WriteFigure(fig),
		d.WriteMeta(results.Meta{World: results.Sim, Seed: 1, Build: results.ReadBuild(".")}),
		plots.Render(d.Path()),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"latency.png", "latency.svg", "meta.json"} {
		if st, err := os.Stat(filepath.Join(d.Path(), name)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", name, err)
		}
	}
}
