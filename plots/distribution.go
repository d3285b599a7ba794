package plots

import (
	"image/color"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/gogarage/garage/plots/spec"
)

// CDF draws the empirical cumulative distribution of column s.Value, one
// step line per series: at x, the fraction of the series' values ≤ x.
func CDF(s spec.CDF, t *Table) (*Chart, error) {
	groups, err := readGroups(t, s.Series, s.SeriesOrder, s.Value, s.XAxis.Log)
	if err != nil {
		return nil, err
	}
	th := newTheme()
	p := th.newPlot()
	labelAxis(&p.X, s.XAxis, s.Value)
	if s.YAxis.Label == "" {
		s.YAxis.Label = "fraction ≤ x"
	}
	labelAxis(&p.Y, s.YAxis, "")
	curves := make([]curve, len(groups))
	for i, g := range groups {
		curves[i] = curve{name: g.name, pts: steps(g.values)}
	}
	ch := &Chart{th: th, title: s.Title, panels: []*plot.Plot{p}, nominal: [][]string{nil}}
	if ch.legend, err = addCurves(th, p, curves, s.Series != "", false); err != nil {
		return nil, err
	}
	rangeAxis(&p.X, s.XAxis)
	p.Y.Min, p.Y.Max = 0, 1
	return ch, nil
}

// steps returns the corners of the empirical CDF of vs: a rise of 1/n at
// each value, flat in between.
func steps(vs []float64) []point {
	vs = slices.Sorted(slices.Values(vs))
	n := float64(len(vs))
	pts := make([]point, 0, 2*len(vs))
	for i, v := range vs {
		pts = append(pts, point{x: v, y: float64(i) / n}, point{x: v, y: float64(i+1) / n})
	}
	return pts
}

// group is the values of one series or category, in file order.
type group struct {
	name   string
	values []float64
}

// readGroups splits column value by column by (all in one group named ""
// when by is empty), in the order of preferred then first appearance.
func readGroups(t *Table, by string, preferred []string, value string, log bool) ([]group, error) {
	if err := t.needRows(); err != nil {
		return nil, err
	}
	names, err := seriesOf(t, by)
	if err != nil {
		return nil, err
	}
	vs, err := t.Floats(value)
	if err != nil {
		return nil, err
	}
	if log {
		if err := positive(t, column{value, vs}); err != nil {
			return nil, err
		}
	}
	ordered := order(names, preferred)
	groups, idx := make([]group, len(ordered)), indexOf(ordered)
	for i, n := range ordered {
		groups[i].name = n
	}
	for i, n := range names {
		groups[idx[n]].values = append(groups[idx[n]].values, vs[i])
	}
	return groups, nil
}

// Box draws one box plot of column s.Value per category of s.Category:
// the median, the quartiles, whiskers to the farthest values within 1.5
// interquartile ranges, and the values beyond as points.
func Box(s spec.Box, t *Table) (*Chart, error) {
	groups, err := readGroups(t, s.Category, s.Categories, s.Value, s.YAxis.Log)
	if err != nil {
		return nil, err
	}
	th := newTheme()
	p := th.newPlot()
	labelAxis(&p.X, s.XAxis, s.Category)
	labelAxis(&p.Y, s.YAxis, s.Value)
	names := make([]string, len(groups))
	for k, g := range groups {
		b, err := plotter.NewBoxPlot(vg.Points(24), float64(k), plotter.Values(g.values))
		if err != nil {
			return nil, err
		}
		b.FillColor = color.RGBA{R: 0xB3, G: 0xD4, B: 0xEA, A: 0xFF}
		p.Add(b)
		names[k] = g.name
	}
	categoryAxis(&p.X, names)
	rangeAxis(&p.Y, s.YAxis)
	return &Chart{th: th, title: s.Title, panels: []*plot.Plot{p}, nominal: [][]string{names}}, nil
}
