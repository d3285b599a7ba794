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

// Bars draws a grouped bar chart: on x the categories of column
// s.Category, in each group one bar per series (column s.Series) of
// height s.Value, with an error bar from s.Low to s.High where those
// cells are not empty. Each (category, series) pair must occur at most
// once. On a log y axis the bars rise from the bottom of the axis.
func Bars(s spec.Bar, t *Table) (*Chart, error) {
	d, err := readBars(s, t)
	if err != nil {
		return nil, err
	}
	th := newTheme()
	p := th.newPlot()
	labelAxis(&p.X, s.XAxis, s.Category)
	labelAxis(&p.Y, s.YAxis, s.Value)
	p.Add(&bars{barData: d, log: s.YAxis.Log})
	categoryAxis(&p.X, d.categories)
	rangeAxis(&p.Y, s.YAxis)
	ch := &Chart{th: th, title: s.Title, panels: []*plot.Plot{p}, nominal: [][]string{d.categories}}
	if s.Series != "" {
		ch.legend = &legend{th: th}
		for i, name := range d.series {
			ch.legend.add(name, swatch{seriesColor(i)})
		}
	}
	return ch, nil
}

// barData holds the cells of a bar chart, indexed [series][category];
// NaN marks a missing bar or error bar end.
type barData struct {
	categories, series []string
	value, low, high   [][]float64
}

// barColumns are the columns of a bar chart, one cell per row.
type barColumns struct {
	cat, ser         []string
	value, low, high []float64
}

func readBarColumns(s spec.Bar, t *Table) (bc barColumns, err error) {
	if err := t.needRows(); err != nil {
		return bc, err
	}
	if bc.cat, err = t.Strings(s.Category); err != nil {
		return bc, err
	}
	if bc.ser, err = seriesOf(t, s.Series); err != nil {
		return bc, err
	}
	if bc.value, err = t.Floats(s.Value); err != nil {
		return bc, err
	}
	if bc.low, err = t.OptionalFloats(s.Low); err != nil {
		return bc, err
	}
	bc.high, err = t.OptionalFloats(s.High)
	return bc, err
}

func readBars(s spec.Bar, t *Table) (barData, error) {
	bc, err := readBarColumns(s, t)
	if err != nil {
		return barData{}, err
	}
	d := barData{categories: order(bc.cat, s.Categories), series: order(bc.ser, s.SeriesOrder)}
	d.value, d.low, d.high = nanGrid(d), nanGrid(d), nanGrid(d)
	ci, si := indexOf(d.categories), indexOf(d.series)
	first := map[[2]int]int{} // (series, category) -> row
	for i := range bc.cat {
		k := [2]int{si[bc.ser[i]], ci[bc.cat[i]]}
		if j, dup := first[k]; dup {
			msg := fmt.Sprintf("second row for %q in series %q (the first is on line %d)", bc.cat[i], bc.ser[i], t.Line(j))
			return barData{}, t.cellError(i, s.Category, msg)
		}
		first[k] = i
		d.value[k[0]][k[1]], d.low[k[0]][k[1]], d.high[k[0]][k[1]] = bc.value[i], bc.low[i], bc.high[i]
	}
	if s.YAxis.Log {
		return d, positive(t, column{s.Value, bc.value}, column{s.Low, bc.low}, column{s.High, bc.high})
	}
	return d, nil
}

func nanGrid(d barData) [][]float64 {
	g := make([][]float64, len(d.series))
	for i := range g {
		g[i] = nans(len(d.categories))
	}
	return g
}

// column is the values of a named column, one per row.
type column struct {
	name string
	vals []float64
}

// positive checks that the values of columns drawn on a log axis are
// positive; NaN (empty) cells pass.
func positive(t *Table, cols ...column) error {
	for _, c := range cols {
		for i, v := range c.vals {
			if v <= 0 {
				return t.cellError(i, c.name, fmt.Sprintf("%g cannot be drawn on a log axis", v))
			}
		}
	}
	return nil
}

// bars draws the bars and error bars of barData on a plot whose x axis
// puts category k at k.
type bars struct {
	barData
	log bool
}

// groupWidth is the share of a category slot its bars fill.
const groupWidth = 0.8

// slot returns the left and right x, in data units, of the bar of series
// s in category k.
func (b *bars) slot(s, k int) (lo, hi float64) {
	w := groupWidth / float64(len(b.series))
	left := float64(k) - groupWidth/2 + float64(s)*w
	return left + 0.05*w, left + 0.95*w
}

// Plot implements plot.Plotter: every bar, then every error bar on top.
func (b *bars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	base := c.Min.Y
	if !b.log {
		base = max(c.Min.Y, min(c.Max.Y, trY(0)))
	}
	b.each(func(s, k int, lo, hi float64) {
		x0, x1, top := trX(lo), trX(hi), trY(b.value[s][k])
		pts := []vg.Point{{X: x0, Y: base}, {X: x0, Y: top}, {X: x1, Y: top}, {X: x1, Y: base}}
		c.FillPolygon(seriesColor(s), c.ClipPolygonY(pts))
	})
	b.each(func(s, k int, lo, hi float64) {
		x := trX((lo + hi) / 2)
		y0, y1 := orValue(b.low[s][k], b.value[s][k]), orValue(b.high[s][k], b.value[s][k])
		drawWhisker(c, whiskerStyle(color.Black), x, trY(y0), trY(y1), (trX(hi)-trX(lo))*0.4)
	})
}

// each calls f for every bar present, with its x extent.
func (b *bars) each(f func(s, k int, lo, hi float64)) {
	for s := range b.series {
		for k := range b.categories {
			if !math.IsNaN(b.value[s][k]) {
				lo, hi := b.slot(s, k)
				f(s, k, lo, hi)
			}
		}
	}
}

// orValue returns v, or def when v is NaN.
func orValue(v, def float64) float64 {
	if math.IsNaN(v) {
		return def
	}
	return v
}

// DataRange implements plot.DataRanger: the categories on x; on y every
// value and error bar end, and zero on a linear axis, where bars rise
// from zero.
func (b *bars) DataRange() (xmin, xmax, ymin, ymax float64) {
	ymin, ymax = math.Inf(1), math.Inf(-1)
	if !b.log {
		ymin, ymax = 0, 0
	}
	for _, g := range [][][]float64{b.value, b.low, b.high} {
		lo, hi := gridRange(g)
		ymin, ymax = math.Min(ymin, lo), math.Max(ymax, hi)
	}
	return -0.5, float64(len(b.categories)) - 0.5, ymin, ymax
}

// gridRange returns the least and greatest non-NaN values of g, or
// (+Inf, -Inf) if it has none.
func gridRange(g [][]float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, row := range g {
		for _, v := range row {
			if !math.IsNaN(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	return lo, hi
}

// whiskerStyle is the line of error bars in colour c.
func whiskerStyle(c color.Color) draw.LineStyle {
	return draw.LineStyle{Color: c, Width: vg.Points(0.8)}
}

// drawWhisker draws an error bar at x from y0 to y1 with caps of width
// capW, clipped to c. Nothing is drawn when y0 == y1.
func drawWhisker(c draw.Canvas, sty draw.LineStyle, x, y0, y1, capW vg.Length) {
	if y0 == y1 {
		return
	}
	c.StrokeLines(sty, c.ClipLinesY([]vg.Point{{X: x, Y: y0}, {X: x, Y: y1}})...)
	for _, y := range []vg.Length{y0, y1} {
		if c.ContainsY(y) {
			c.StrokeLine2(sty, x-capW/2, y, x+capW/2, y)
		}
	}
}
