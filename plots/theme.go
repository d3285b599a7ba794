package plots

import (
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/font/liberation"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/gogarage/garage/plots/spec"
)

// Text sizes of every figure: fixed, so a figure looks the same whatever
// draws it.
const (
	titleSize  = vg.Length(12)
	labelSize  = vg.Length(10)
	tickSize   = vg.Length(9)
	legendSize = vg.Length(9)
	cellSize   = vg.Length(9)
)

// theme is the fixed look of the figures: Liberation Sans (compiled into
// the binary, so no system font is ever looked up) from a font cache of
// the chart's own, rather than gonum's process-wide default cache.
type theme struct {
	fonts text.Handler
}

func newTheme() theme {
	return theme{fonts: text.Plain{Fonts: font.NewCache(liberation.Collection())}}
}

// text returns a text style of the given size, black, left aligned.
func (th theme) text(size vg.Length) text.Style {
	return text.Style{
		Color:   color.Black,
		Font:    font.Font{Typeface: "Liberation", Variant: "Sans", Size: size},
		Handler: th.fonts,
	}
}

// newPlot returns a plot whose every text uses the theme's fonts.
func (th theme) newPlot() *plot.Plot {
	p := plot.New()
	p.TextHandler = th.fonts
	p.Title.TextStyle = th.restyle(p.Title.TextStyle, titleSize)
	p.Legend.TextStyle = th.restyle(p.Legend.TextStyle, legendSize)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle = th.restyle(a.Label.TextStyle, labelSize)
		a.Tick.Label = th.restyle(a.Tick.Label, tickSize)
	}
	return p
}

// restyle keeps the alignment and rotation of s and sets the theme's
// font, size and handler.
func (th theme) restyle(s text.Style, size vg.Length) text.Style {
	t := th.text(size)
	t.Color, t.Rotation, t.XAlign, t.YAlign = s.Color, s.Rotation, s.XAlign, s.YAlign
	if t.Color == nil {
		t.Color = color.Black
	}
	return t
}

// seriesColor is the colour of series i: the Okabe–Ito palette, which
// colour-blind readers can tell apart, cycling after eight series.
func seriesColor(i int) color.Color {
	hex := [...]uint32{0x0072B2, 0xD55E00, 0x009E73, 0xE69F00, 0xCC79A7, 0x56B4E9, 0xF0E442, 0x000000}
	v := hex[i%len(hex)]
	return color.RGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: 255}
}

// seriesGlyph is the marker shape of series i, so series stay apart in
// grey print too.
func seriesGlyph(i int) draw.GlyphDrawer {
	shapes := [...]draw.GlyphDrawer{
		draw.CircleGlyph{}, draw.SquareGlyph{}, draw.TriangleGlyph{}, draw.PyramidGlyph{},
		draw.RingGlyph{}, draw.BoxGlyph{}, draw.CrossGlyph{}, draw.PlusGlyph{},
	}
	return shapes[i%len(shapes)]
}

func seriesLine(i int) draw.LineStyle {
	return draw.LineStyle{Color: seriesColor(i), Width: vg.Points(1.5)}
}

func seriesMarker(i int) draw.GlyphStyle {
	return draw.GlyphStyle{Color: seriesColor(i), Radius: vg.Points(2.5), Shape: seriesGlyph(i)}
}

// labelAxis sets the title of a plot axis from its spec.
func labelAxis(a *plot.Axis, s spec.Axis, column string) {
	a.Label.Text = s.Title(column)
	if s.Log {
		a.Scale = plot.LogScale{}
		a.Tick.Marker = logTicks{}
	}
}

// rangeAxis fixes the range of a plot axis once the data is added: the
// spec's Min and Max win; a log axis otherwise gets a little room at both
// ends, as a linear one does from its padding.
func rangeAxis(a *plot.Axis, s spec.Axis) {
	if s.Log && a.Min > 0 && a.Max > 0 {
		a.Min, a.Max = a.Min/1.5, a.Max*1.25
	}
	if s.Min != nil {
		a.Min = *s.Min
	}
	if s.Max != nil {
		a.Max = *s.Max
	}
	switch {
	case a.Min == a.Max && !math.IsInf(a.Min, 0):
		a.Min, a.Max = widen(a.Min, s.Log)
	case !(a.Min < a.Max): // no data: an empty but drawable axis
		a.Min, a.Max = widen(1, s.Log)
	}
}

// logTicks marks a log axis: a labelled tick at each power of ten, and
// at its doubles and fives as well when fewer than two powers fall in
// the range; unlabelled ticks at the other multiples.
type logTicks struct{}

func (logTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(lo > 0 && hi > lo) {
		return nil
	}
	k0, k1 := int(math.Floor(math.Log10(lo))), int(math.Ceil(math.Log10(hi)))
	var labelled [10]bool // by multiple of the power of ten
	labelled[1] = true
	if powersIn(lo, hi, k0, k1) < 2 {
		labelled[2], labelled[5] = true, true
	}
	var ticks []plot.Tick
	for k := k0; k <= k1; k++ {
		for m := 1; m <= 9; m++ {
			v := float64(m) * math.Pow10(k)
			if v >= lo && v <= hi {
				ticks = append(ticks, plot.Tick{Value: v, Label: tickLabel(v, labelled[m])})
			}
		}
	}
	if !hasLabel(ticks) {
		return plot.DefaultTicks{}.Ticks(lo, hi)
	}
	return ticks
}

// powersIn counts the powers of ten 10^k0 … 10^k1 within [lo, hi].
func powersIn(lo, hi float64, k0, k1 int) int {
	n := 0
	for k := k0; k <= k1; k++ {
		if v := math.Pow10(k); v >= lo && v <= hi {
			n++
		}
	}
	return n
}

func tickLabel(v float64, labelled bool) string {
	if !labelled {
		return ""
	}
	return strconv.FormatFloat(v, 'g', 6, 64)
}

func hasLabel(ts []plot.Tick) bool {
	for _, t := range ts {
		if t.Label != "" {
			return true
		}
	}
	return false
}

// widen returns a range around a single value v.
func widen(v float64, log bool) (lo, hi float64) {
	switch {
	case log:
		return v / 10, v * 10
	case v == 0:
		return 0, 1
	}
	return v - math.Abs(v)/2, v + math.Abs(v)/2
}

// categoryAxis makes a an axis of names at 0, 1, …, without tick marks,
// spanning half a slot either side.
func categoryAxis(a *plot.Axis, names []string) {
	ticks := make([]plot.Tick, len(names))
	for i, n := range names {
		ticks[i] = plot.Tick{Value: float64(i), Label: n}
	}
	a.Tick.Marker = plot.ConstantTicks(ticks)
	a.Tick.Length = 0
	a.Min, a.Max = -0.5, float64(len(names))-0.5
}

// swatch is a legend thumbnail: a filled rectangle.
type swatch struct{ color color.Color }

func (s swatch) Thumbnail(c *draw.Canvas) {
	pts := []vg.Point{c.Min, {X: c.Min.X, Y: c.Max.Y}, c.Max, {X: c.Max.X, Y: c.Min.Y}}
	c.FillPolygon(s.color, pts)
}

var (
	_ plot.Thumbnailer = swatch{}
	_ plot.Thumbnailer = (*plotter.Line)(nil)
)
