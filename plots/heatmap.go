package plots

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/gogarage/garage/plots/spec"
)

// HeatMap draws a grid of cells, s.X categories across and s.Y
// categories top to bottom, each coloured by s.Value and showing it as
// text, with a colour bar on the right. A missing (x, y) pair is a blank
// cell; a repeated one is an error.
func HeatMap(s spec.HeatMap, t *Table) (*Chart, error) {
	g, err := readGrid(s, t)
	if err != nil {
		return nil, err
	}
	th := newTheme()
	p := th.newPlot()
	labelAxis(&p.X, s.XAxis, s.X)
	labelAxis(&p.Y, s.YAxis, s.Y)
	lo, hi := colorRange(g.values, s.ColorAxis)
	p.Add(&cells{grid: g, lo: lo, hi: hi, format: s.Format, th: th})
	categoryAxis(&p.X, g.xs)
	categoryAxis(&p.Y, reversed(g.ys))
	cb := colorBar(th, s.ColorAxis.Title(s.Value), lo, hi)
	return &Chart{th: th, title: s.Title, panels: []*plot.Plot{p}, nominal: [][]string{g.xs}, colorBar: cb}, nil
}

// grid is the cells of a heat map, values[x][y], NaN where missing.
type grid struct {
	xs, ys []string
	values [][]float64
}

func readGrid(s spec.HeatMap, t *Table) (grid, error) {
	if err := t.needRows(); err != nil {
		return grid{}, err
	}
	xs, err := t.Strings(s.X)
	if err != nil {
		return grid{}, err
	}
	ys, err := t.Strings(s.Y)
	if err != nil {
		return grid{}, err
	}
	vs, err := t.Floats(s.Value)
	if err != nil {
		return grid{}, err
	}
	g := grid{xs: order(xs, s.XOrder), ys: order(ys, s.YOrder)}
	return g, g.fill(t, s, xs, ys, vs)
}

// fill puts each row's value in its cell.
func (g *grid) fill(t *Table, s spec.HeatMap, xs, ys []string, vs []float64) error {
	g.values = make([][]float64, len(g.xs))
	for i := range g.values {
		g.values[i] = nans(len(g.ys))
	}
	xi, yi := indexOf(g.xs), indexOf(g.ys)
	first := map[[2]int]int{}
	for r := range xs {
		k := [2]int{xi[xs[r]], yi[ys[r]]}
		if j, dup := first[k]; dup {
			msg := fmt.Sprintf("second row for %q × %q (the first is on line %d)", xs[r], ys[r], t.Line(j))
			return t.cellError(r, s.X, msg)
		}
		first[k] = r
		g.values[k[0]][k[1]] = vs[r]
	}
	return nil
}

func reversed(s []string) []string {
	out := slices.Clone(s)
	slices.Reverse(out)
	return out
}

// colorRange returns the values mapped to the two ends of the colour
// scale: the axis's Min and Max where set, else the data's extremes.
func colorRange(values [][]float64, a spec.Axis) (lo, hi float64) {
	lo, hi = gridRange(values)
	if math.IsInf(lo, 0) {
		lo, hi = 0, 1
	}
	if a.Min != nil {
		lo = *a.Min
	}
	if a.Max != nil {
		hi = *a.Max
	}
	if lo >= hi {
		hi = lo + 1
	}
	return lo, hi
}

// heatColor maps f in [0, 1] (clamped) to a sequential scale from pale
// yellow (low) through orange to dark red (high), interpolated in sRGB.
func heatColor(f float64) color.RGBA {
	stops := [...][3]float64{{255, 255, 204}, {254, 217, 118}, {253, 141, 60}, {227, 26, 28}, {128, 0, 38}}
	f = math.Max(0, math.Min(1, f)) * float64(len(stops)-1)
	i := min(int(f), len(stops)-2)
	a, b, u := stops[i], stops[i+1], f-float64(i)
	mix := func(k int) uint8 { return uint8(math.Round(a[k] + (b[k]-a[k])*u)) }
	return color.RGBA{R: mix(0), G: mix(1), B: mix(2), A: 255}
}

// textOn returns black or white, whichever reads better on c.
func textOn(c color.RGBA) color.Color {
	if 0.299*float64(c.R)+0.587*float64(c.G)+0.114*float64(c.B) < 140 {
		return color.White
	}
	return color.Black
}

// cells draws the heat map: x category i at i, y category j (of n) at
// n-1-j, so the first y category is the top row.
type cells struct {
	grid
	lo, hi float64
	format string
	th     theme
}

func (h *cells) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	n := len(h.ys)
	for i := range h.xs {
		for j, v := range h.values[i] {
			if math.IsNaN(v) {
				continue
			}
			x0, x1 := trX(float64(i)-0.5), trX(float64(i)+0.5)
			y0, y1 := trY(float64(n-1-j)-0.5), trY(float64(n-1-j)+0.5)
			h.cell(c, vg.Rectangle{Min: vg.Point{X: x0, Y: y0}, Max: vg.Point{X: x1, Y: y1}}, v)
		}
	}
}

// cell fills one cell, outlines it in white and writes its value.
func (h *cells) cell(c draw.Canvas, r vg.Rectangle, v float64) {
	fill := heatColor((v - h.lo) / (h.hi - h.lo))
	c.FillPolygon(fill, rectPoints(r))
	c.StrokeLines(draw.LineStyle{Color: color.White, Width: vg.Points(1)}, append(rectPoints(r), r.Min))
	sty := h.th.text(cellSize)
	sty.Color, sty.XAlign, sty.YAlign = textOn(fill), draw.XCenter, draw.YCenter
	c.FillText(sty, vg.Point{X: (r.Min.X + r.Max.X) / 2, Y: (r.Min.Y + r.Max.Y) / 2}, h.text(v))
}

// text formats a cell value: with the spec's format, or the shortest
// decimal that reads back as v.
func (h *cells) text(v float64) string {
	if h.format == "" {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return fmt.Sprintf(h.format, v)
}

func rectPoints(r vg.Rectangle) []vg.Point {
	return []vg.Point{r.Min, {X: r.Min.X, Y: r.Max.Y}, r.Max, {X: r.Max.X, Y: r.Min.Y}}
}

// colorBar returns the plot of the colour legend: a vertical bar from lo
// to hi with a labelled axis.
func colorBar(th theme, label string, lo, hi float64) *plot.Plot {
	p := th.newPlot()
	p.HideX()
	p.X.Padding, p.Y.Padding = 0, 0
	p.Y.Label.Text = label
	p.Add(&gradient{lo: lo, hi: hi})
	return p
}

// gradient draws the colour scale as a stack of thin bands.
type gradient struct{ lo, hi float64 }

const gradientSteps = 64

func (g *gradient) Plot(c draw.Canvas, p *plot.Plot) {
	_, trY := p.Transforms(&c)
	step := (g.hi - g.lo) / gradientSteps
	for k := range gradientSteps {
		y0, y1 := trY(g.lo+float64(k)*step), trY(g.lo+float64(k+1)*step)
		r := vg.Rectangle{Min: vg.Point{X: c.Min.X, Y: y0}, Max: vg.Point{X: c.Max.X, Y: y1}}
		c.FillPolygon(heatColor((float64(k)+0.5)/gradientSteps), rectPoints(r))
	}
	all := vg.Rectangle{Min: vg.Point{X: c.Min.X, Y: trY(g.lo)}, Max: vg.Point{X: c.Max.X, Y: trY(g.hi)}}
	c.StrokeLines(draw.LineStyle{Color: color.Black, Width: vg.Points(0.5)}, append(rectPoints(all), all.Min))
}

func (g *gradient) DataRange() (xmin, xmax, ymin, ymax float64) { return 0, 1, g.lo, g.hi }
