package plots

import (
	"bytes"
	"math"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"

	"github.com/gogarage/garage/plots/spec"
)

func fptr(v float64) *float64 { return &v }

// TestKindErrors checks that a table a figure cannot draw is refused with
// the file, line and column of the offending cell.
func TestKindErrors(t *testing.T) {
	const latency = "endpoint,source,mean_ms\nGet,sim,1\nPut,sim,2\nGet,sim,3\n"
	tests := []struct {
		name, csv string
		build     func(*Table) (*Chart, error)
		want      string
	}{
		{"bar repeated pair", latency, func(t *Table) (*Chart, error) {
			return Bars(spec.Bar{Category: "endpoint", Value: "mean_ms", Series: "source"}, t)
		}, `f.csv:4:1: column "endpoint": second row for "Get" in series "sim" (the first is on line 2)`},
		{"bar log zero", "endpoint,mean_ms,min_ms\nGet,1,0\n", func(t *Table) (*Chart, error) {
			return Bars(spec.Bar{Category: "endpoint", Value: "mean_ms", Low: "min_ms", YAxis: spec.Axis{Log: true}}, t)
		}, `f.csv:2:7: column "min_ms": 0 cannot be drawn on a log axis`},
		{"bar missing column", latency, func(t *Table) (*Chart, error) {
			return Bars(spec.Bar{Category: "endpoint", Value: "p99_ms"}, t)
		}, `f.csv:1: no column "p99_ms"`},
		{"line repeated x", "n,y\n1,5\n2,6\n1,7\n", func(t *Table) (*Chart, error) {
			return Lines(spec.Line{X: "n", Y: "y"}, t)
		}, `f.csv:4:1: column "n": second point at 1 in series "" (the first is on line 2)`},
		{"line log x", "n,y\n0,5\n", func(t *Table) (*Chart, error) {
			return Lines(spec.Line{X: "n", Y: "y", XAxis: spec.Axis{Log: true}}, t)
		}, `f.csv:2:1: column "n": 0 cannot be drawn on a log axis`},
		{"heatmap repeated cell", "a,b,v\nx,y,1\nx,y,2\n", func(t *Table) (*Chart, error) {
			return HeatMap(spec.HeatMap{X: "a", Y: "b", Value: "v"}, t)
		}, `f.csv:3:1: column "a": second row for "x" × "y" (the first is on line 2)`},
		{"cdf bad value", "v\n1\nx\n", func(t *Table) (*Chart, error) {
			return CDF(spec.CDF{Value: "v"}, t)
		}, `f.csv:3:1: column "v": "x" is not a finite number`},
		{"box log", "c,v\na,-1\n", func(t *Table) (*Chart, error) {
			return Box(spec.Box{Category: "c", Value: "v", YAxis: spec.Axis{Log: true}}, t)
		}, `f.csv:2:3: column "v": -1 cannot be drawn on a log axis`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.build(parse(t, tt.csv))
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("error = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestReadWindows(t *testing.T) {
	w := spec.WindowTable{Start: "start_s", End: "end_s", Label: "fault"}
	got, err := ReadWindows(w, parse(t, "start_s,end_s,fault\n20,40,zone down\n50,55,\n"))
	want := []spec.Window{{Start: 20, End: 40, Label: "zone down"}, {Start: 50, End: 55}}
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("ReadWindows = %v, %v; want %v", got, err, want)
	}
	_, err = ReadWindows(w, parse(t, "start_s,end_s,fault\n20,10,x\n"))
	if want := `f.csv:2:4: column "end_s": window ends at 10, before its start 20`; err == nil || err.Error() != want {
		t.Errorf("error = %v, want %q", err, want)
	}
}

// TestTimeSeriesGapsAndWindows checks that an empty y cell is a gap, not
// a zero, and that windows widen the shared x range of the panels.
func TestTimeSeriesGapsAndWindows(t *testing.T) {
	tab := parse(t, "t_s,ok_pct,p50_ms\n0,100,120\n10,0,\n20,100,130\n")
	s := spec.TimeSeries{X: "t_s", Panels: []spec.Panel{{Y: "ok_pct"}, {Y: "p50_ms"}}, Windows: []spec.Window{{Start: 5, End: 30, Label: "down"}}}
	ch, err := TimeSeries(s, tab)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range ch.panels {
		if p.X.Min != 0 || p.X.Max != 30 {
			t.Errorf("panel %d: x range [%g, %g], want [0, 30]", i, p.X.Min, p.X.Max)
		}
	}
	if lo := ch.panels[1].Y.Min; lo != 120 {
		t.Errorf("latency panel starts at %g, want 120 (the empty cell is no point)", lo)
	}
	if ch.headroom == 0 {
		t.Error("no headroom for the window label")
	}
}

func TestLogTicks(t *testing.T) {
	tests := []struct {
		lo, hi float64
		want   []string // labelled ticks
	}{
		{0.13, 1640, []string{"1", "10", "100", "1000"}},
		{4, 312, []string{"10", "100"}},
		{40, 312, []string{"50", "100", "200"}},   // one power: doubles and fives too
		{120, 180, []string{"120", "150", "180"}}, // none labelled: linear ticks
	}
	for _, tt := range tests {
		var got []string
		for _, tk := range (logTicks{}).Ticks(tt.lo, tt.hi) {
			if tk.Label != "" {
				got = append(got, tk.Label)
			}
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Ticks(%g, %g) labels %q, want %q", tt.lo, tt.hi, got, tt.want)
		}
	}
}

func TestHeatColor(t *testing.T) {
	lo, hi := heatColor(-1), heatColor(2)
	if lo != heatColor(0) || hi != heatColor(1) {
		t.Error("heatColor does not clamp to [0, 1]")
	}
	if textOn(heatColor(0)) == textOn(heatColor(1)) {
		t.Error("cell text has the same colour on the lightest and the darkest cell")
	}
	prev := math.Inf(1)
	for f := 0.0; f <= 1; f += 0.125 { // darker as the value grows
		c := heatColor(f)
		l := 0.299*float64(c.R) + 0.587*float64(c.G) + 0.114*float64(c.B)
		if l > prev {
			t.Errorf("heatColor(%g) is lighter than the colour below it", f)
		}
		prev = l
	}
}

func TestLegendRows(t *testing.T) {
	l := &legend{th: newTheme()}
	for _, n := range []string{"ours (sim)", "ours (real)", "Garage 0.5.0 (published)", "MinIO (published)"} {
		l.add(n, swatch{seriesColor(0)})
	}
	if rows := l.rows(vg.Length(1000)); len(rows) != 1 {
		t.Errorf("rows on a wide figure = %v, want one row", rows)
	}
	rows := l.rows(l.width(2) + entryGap + l.width(3))
	if want := [][]int{{0, 1}, {2, 3}}; !slices.EqualFunc(rows, want, slices.Equal) {
		t.Errorf("rows = %v, want %v", rows, want)
	}
	if rows := l.rows(1); len(rows) != 4 {
		t.Errorf("rows narrower than any entry = %v, want one entry a row", rows)
	}
}

func TestFixedAxisRange(t *testing.T) {
	tab := parse(t, "n,y\n1,5\n2,6\n")
	ch, err := Lines(spec.Line{X: "n", Y: "y", YAxis: spec.Axis{Min: fptr(0), Max: fptr(10)}}, tab)
	if err != nil {
		t.Fatal(err)
	}
	if y := ch.panels[0].Y; y.Min != 0 || y.Max != 10 {
		t.Errorf("y range [%g, %g], want the spec's [0, 10]", y.Min, y.Max)
	}
	var b bytes.Buffer
	if err := ch.WriteSVG(&b, spec.Output{}); err != nil || b.Len() == 0 {
		t.Errorf("WriteSVG: %v, %d bytes", err, b.Len())
	}
}
