package plots

import (
	"gonum.org/v1/plot"

	"github.com/gogarage/garage/plots/spec"
)

// Lines draws a line chart: s.Y against s.X, one line with markers per
// series (column s.Series), with error bars from s.Low to s.High where
// those are named and not empty. Each series has at most one row per x.
func Lines(s spec.Line, t *Table) (*Chart, error) {
	cc := curveColumns{series: s.Series, seriesOrder: s.SeriesOrder, x: s.X, y: s.Y, low: s.Low, high: s.High}
	curves, err := readCurves(t, cc)
	if err != nil {
		return nil, err
	}
	if err := checkLog(t, curves, cc, s.XAxis.Log, s.YAxis.Log); err != nil {
		return nil, err
	}
	th := newTheme()
	p := th.newPlot()
	labelAxis(&p.X, s.XAxis, s.X)
	labelAxis(&p.Y, s.YAxis, s.Y)
	ch := &Chart{th: th, title: s.Title, panels: []*plot.Plot{p}, nominal: [][]string{nil}}
	if ch.legend, err = addCurves(th, p, curves, s.Series != "", true); err != nil {
		return nil, err
	}
	rangeAxis(&p.X, s.XAxis)
	rangeAxis(&p.Y, s.YAxis)
	return ch, nil
}

// addCurves adds every curve to p and returns their legend, or nil when
// there is no series column to name them.
func addCurves(th theme, p *plot.Plot, curves []curve, named, markers bool) (*legend, error) {
	l := &legend{th: th}
	for i, c := range curves {
		thumbs, err := addCurve(p, c, i, len(curves), markers)
		if err != nil {
			return nil, err
		}
		l.add(c.name, thumbs...)
	}
	if !named {
		return nil, nil
	}
	return l, nil
}
