package plots

import (
	"cmp"
	"fmt"
	"image/color"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// curve is one series of (x, y) points in increasing x, with optional
// error bar ends (NaN when absent) and the row each point came from.
type curve struct {
	name string
	pts  []point
}

type point struct {
	x, y, lo, hi float64
	row          int
}

// curveColumns names the columns curves are read from; low and high may
// be empty.
type curveColumns struct {
	series      string
	seriesOrder []string
	x, y        string
	low, high   string
}

// readCurves splits t into one curve per series, in series order, each
// sorted by x. A row whose y cell is empty is no point (a gap in the
// data); two points of a series at the same x are an error.
func readCurves(t *Table, cc curveColumns) ([]curve, error) {
	if err := t.needRows(); err != nil {
		return nil, err
	}
	ser, err := seriesOf(t, cc.series)
	if err != nil {
		return nil, err
	}
	cols, err := readFloatColumns(t, []string{cc.x}, []string{cc.y, cc.low, cc.high})
	if err != nil {
		return nil, err
	}
	names := order(ser, cc.seriesOrder)
	curves := make([]curve, len(names))
	idx := indexOf(names)
	for i, name := range names {
		curves[i].name = name
	}
	for i := range ser {
		if math.IsNaN(cols[1][i]) {
			continue
		}
		c := &curves[idx[ser[i]]]
		c.pts = append(c.pts, point{x: cols[0][i], y: cols[1][i], lo: cols[2][i], hi: cols[3][i], row: i})
	}
	for _, c := range curves {
		if err := sortCurve(t, cc.x, c); err != nil {
			return nil, err
		}
	}
	return curves, nil
}

// readFloatColumns reads the required columns, then the optional ones.
func readFloatColumns(t *Table, required, optional []string) ([][]float64, error) {
	var out [][]float64
	for _, name := range required {
		v, err := t.Floats(name)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	for _, name := range optional {
		v, err := t.OptionalFloats(name)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// sortCurve sorts c's points by x, keeping file order among equals, and
// rejects a repeated x.
func sortCurve(t *Table, xName string, c curve) error {
	slices.SortStableFunc(c.pts, func(a, b point) int { return cmp.Compare(a.x, b.x) })
	for i := 1; i < len(c.pts); i++ {
		if a, b := c.pts[i-1], c.pts[i]; a.x == b.x {
			msg := fmt.Sprintf("second point at %g in series %q (the first is on line %d)", b.x, c.name, t.Line(a.row))
			return t.cellError(b.row, xName, msg)
		}
	}
	return nil
}

// checkLog rejects non-positive values of the curves on log axes.
func checkLog(t *Table, curves []curve, cc curveColumns, logX, logY bool) error {
	for _, c := range curves {
		for _, p := range c.pts {
			if err := positivePoint(t, p, cc, logX, logY); err != nil {
				return err
			}
		}
	}
	return nil
}

func positivePoint(t *Table, p point, cc curveColumns, logX, logY bool) error {
	var cols []column
	if logX {
		cols = append(cols, column{cc.x, []float64{p.x}})
	}
	if logY {
		cols = append(cols, column{cc.y, []float64{p.y}}, column{cc.low, []float64{p.lo}}, column{cc.high, []float64{p.hi}})
	}
	for _, c := range cols {
		if c.vals[0] <= 0 {
			return t.cellError(p.row, c.name, fmt.Sprintf("%g cannot be drawn on a log axis", c.vals[0]))
		}
	}
	return nil
}

// addCurve adds the line (and, with markers, the points) of curve i of n
// to p and returns the legend thumbnails.
func addCurve(p *plot.Plot, c curve, i, n int, markers bool) ([]plot.Thumbnailer, error) {
	xys := make(plotter.XYs, len(c.pts))
	for j, pt := range c.pts {
		xys[j] = plotter.XY{X: pt.x, Y: pt.y}
	}
	line, err := plotter.NewLine(xys)
	if err != nil {
		return nil, err
	}
	line.LineStyle = seriesLine(i)
	if len(xys) > 0 {
		dodge := vg.Points(2.5) * vg.Length(float64(i)-float64(n-1)/2)
		p.Add(line, &curveWhiskers{pts: c.pts, color: seriesColor(i), dodge: dodge})
	}
	if !markers {
		return []plot.Thumbnailer{line}, nil
	}
	sc, err := plotter.NewScatter(xys)
	if err != nil {
		return nil, err
	}
	sc.GlyphStyle = seriesMarker(i)
	p.Add(sc)
	return []plot.Thumbnailer{line, sc}, nil
}

// curveWhiskers draws the error bars of a curve's points in its colour,
// moved sideways by dodge so that those of several curves at one x stay
// apart.
type curveWhiskers struct {
	pts   []point
	color color.Color
	dodge vg.Length
}

func (w *curveWhiskers) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for _, pt := range w.pts {
		if x := trX(pt.x); c.ContainsX(x) {
			y0, y1 := trY(orValue(pt.lo, pt.y)), trY(orValue(pt.hi, pt.y))
			drawWhisker(c, whiskerStyle(w.color), x+w.dodge, y0, y1, vg.Points(4))
		}
	}
}

// DataRange implements plot.DataRanger over the points and error bars.
func (w *curveWhiskers) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, ymin = math.Inf(1), math.Inf(1)
	xmax, ymax = math.Inf(-1), math.Inf(-1)
	for _, pt := range w.pts {
		xmin, xmax = math.Min(xmin, pt.x), math.Max(xmax, pt.x)
		for _, y := range []float64{pt.y, orValue(pt.lo, pt.y), orValue(pt.hi, pt.y)} {
			ymin, ymax = math.Min(ymin, y), math.Max(ymax, y)
		}
	}
	return xmin, xmax, ymin, ymax
}
