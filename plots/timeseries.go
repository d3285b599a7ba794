package plots

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/gogarage/garage/plots/spec"
)

// TimeSeries draws s.Panels stacked on the shared time axis s.X, one line
// per series in each panel, over the shaded intervals s.Windows (labelled
// in the top panel). Empty y cells are gaps. s.WindowData is not read
// here: Build reads it with ReadWindows and appends to s.Windows.
func TimeSeries(s spec.TimeSeries, t *Table) (*Chart, error) {
	th := newTheme()
	ch := &Chart{th: th, title: s.Title}
	for i, panel := range s.Panels {
		p, l, err := timePanel(th, s, panel, t, i == 0)
		if err != nil {
			return nil, err
		}
		if i == 0 {
			ch.legend = l
		}
		ch.panels, ch.nominal = append(ch.panels, p), append(ch.nominal, nil)
	}
	shareX(ch.panels)
	if hasLabels(s.Windows) {
		ch.headroom = th.text(legendSize).FontExtents().Height + vg.Points(2)
	}
	return ch, nil
}

// timePanel builds one panel and the legend of its series.
func timePanel(th theme, s spec.TimeSeries, panel spec.Panel, t *Table, top bool) (*plot.Plot, *legend, error) {
	cc := curveColumns{series: s.Series, seriesOrder: s.SeriesOrder, x: s.X, y: panel.Y}
	curves, err := readCurves(t, cc)
	if err == nil {
		err = checkLog(t, curves, cc, s.XAxis.Log, panel.YAxis.Log)
	}
	if err != nil {
		return nil, nil, err
	}
	p := th.newPlot()
	labelAxis(&p.X, s.XAxis, s.X)
	labelAxis(&p.Y, panel.YAxis, panel.Y)
	p.Add(&shading{windows: s.Windows, labels: top, th: th})
	l, err := addCurves(th, p, curves, s.Series != "", false)
	if err != nil {
		return nil, nil, err
	}
	for _, w := range s.Windows {
		p.X.Min, p.X.Max = math.Min(p.X.Min, w.Start), math.Max(p.X.Max, w.End)
	}
	rangeAxis(&p.X, s.XAxis)
	rangeAxis(&p.Y, panel.YAxis)
	return p, l, nil
}

func hasLabels(ws []spec.Window) bool {
	for _, w := range ws {
		if w.Label != "" {
			return true
		}
	}
	return false
}

// ReadWindows reads one shaded window per row of t, from the columns w
// names. A window must not end before it starts.
func ReadWindows(w spec.WindowTable, t *Table) ([]spec.Window, error) {
	cols, err := readFloatColumns(t, []string{w.Start, w.End}, nil)
	if err != nil {
		return nil, err
	}
	labels := make([]string, t.Len())
	if w.Label != "" {
		if labels, err = t.Strings(w.Label); err != nil {
			return nil, err
		}
	}
	out := make([]spec.Window, t.Len())
	for i := range out {
		out[i] = spec.Window{Start: cols[0][i], End: cols[1][i], Label: labels[i]}
		if out[i].End < out[i].Start {
			return nil, t.cellError(i, w.End, fmt.Sprintf("window ends at %g, before its start %g", out[i].End, out[i].Start))
		}
	}
	return out, nil
}

// shading draws windows as grey bands the full height of the panel,
// with their labels at the top when labels is set.
type shading struct {
	windows []spec.Window
	labels  bool
	th      theme
}

func windowColor() color.Color { return color.NRGBA{R: 0x80, G: 0x80, B: 0x80, A: 0x40} }

func (s *shading) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	for _, w := range s.windows {
		x0, x1 := max(c.Min.X, trX(w.Start)), min(c.Max.X, trX(w.End))
		if x1 < x0 {
			continue
		}
		pts := []vg.Point{{X: x0, Y: c.Min.Y}, {X: x0, Y: c.Max.Y}, {X: x1, Y: c.Max.Y}, {X: x1, Y: c.Min.Y}}
		c.FillPolygon(windowColor(), pts)
		if s.labels && w.Label != "" { // above the panel, in the chart's headroom
			sty := s.th.text(legendSize)
			c.FillText(sty, vg.Point{X: x0, Y: c.Max.Y + vg.Points(2)}, w.Label)
		}
	}
}
