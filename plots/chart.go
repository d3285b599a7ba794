package plots

import (
	"fmt"
	"image/color"
	"io"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/gogarage/garage/plots/spec"
)

// Chart is a figure built from a table and a spec, ready to be written
// as PNG or SVG at any size. Its layout, top to bottom: the title, the
// legend, then the panels (several share one x axis) with a colour bar
// on their right for heat maps. Nothing is drawn over the data but
// shaded windows.
type Chart struct {
	th     theme
	title  string
	panels []*plot.Plot
	// nominal holds, per panel, its category names when its x axis is
	// categorical; long names are turned when the slots are too narrow.
	nominal  [][]string
	legend   *legend // nil: none
	colorBar *plot.Plot
	// headroom is left free above the top panel for window labels.
	headroom vg.Length
}

// Layout constants.
const (
	margin      = vg.Length(6)  // around the whole figure, in points
	gap         = vg.Length(10) // between the panels and the colour bar
	panelGap    = vg.Length(6)  // between stacked panels
	colorBarW   = vg.Length(12) // width of the colour bar itself
	titleGap    = vg.Length(6)  // below the title
	turnedAngle = math.Pi / 6   // of category names that do not fit
)

// WriteSVG draws the chart as SVG. The output is byte-stable: the same
// chart and output size always give the same bytes (no timestamp, no
// random id; embedded fonts, if asked for, are the compiled-in ones).
func (ch *Chart) WriteSVG(w io.Writer, o spec.Output) (err error) {
	defer recoverDraw(&err)
	o = o.WithDefaults()
	c := vgsvg.NewWith(vgsvg.UseWH(cm(o.WidthCM), cm(o.HeightCM)), vgsvg.EmbedFonts(o.EmbedFonts))
	ch.Draw(draw.New(c))
	_, err = c.WriteTo(w)
	return err
}

// WritePNG draws the chart as PNG at o's size and resolution.
func (ch *Chart) WritePNG(w io.Writer, o spec.Output) (err error) {
	defer recoverDraw(&err)
	o = o.WithDefaults()
	c := vgimg.NewWith(vgimg.UseWH(cm(o.WidthCM), cm(o.HeightCM)), vgimg.UseDPI(o.DPI))
	ch.Draw(draw.New(c))
	_, err = vgimg.PngCanvas{Canvas: c}.WriteTo(w)
	return err
}

// recoverDraw turns a panic of the drawing library (it panics on some
// degenerate inputs) into an error, so one odd figure does not end an
// experiment that has its data safely written.
func recoverDraw(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("plots: drawing failed: %v", r)
	}
}

func cm(v float64) vg.Length { return vg.Length(v) * vg.Centimeter }

// Draw draws the chart on c.
func (ch *Chart) Draw(c draw.Canvas) {
	c.SetColor(color.White)
	c.Fill(c.Rectangle.Path())
	c = draw.Crop(c, margin, -margin, margin, -margin)
	c = ch.drawTitle(c)
	if ch.legend != nil {
		c = ch.legend.draw(c)
	}
	if ch.colorBar != nil {
		c = ch.drawColorBar(c)
	}
	ch.drawPanels(draw.Crop(c, 0, 0, 0, -ch.headroom))
}

// drawTitle draws the title centred at the top of c and returns what is
// left below it.
func (ch *Chart) drawTitle(c draw.Canvas) draw.Canvas {
	if ch.title == "" {
		return c
	}
	sty := ch.th.text(titleSize)
	sty.XAlign, sty.YAlign = draw.XCenter, draw.YTop
	c.FillText(sty, vg.Point{X: c.Center().X, Y: c.Max.Y}, ch.title)
	return draw.Crop(c, 0, 0, 0, -(sty.Height(ch.title) + titleGap))
}

// drawColorBar draws the colour bar beside the single panel, its bar as
// tall as the panel's data area, and returns the panel's canvas.
func (ch *Chart) drawColorBar(c draw.Canvas) draw.Canvas {
	cb := ch.colorBar
	axisW := c.Size().X - cb.DataCanvas(c).Size().X
	main := draw.Crop(c, 0, -(axisW + colorBarW + gap), 0, 0)
	data := ch.panels[0].DataCanvas(ch.turnNames(0, main))
	want := vg.Rectangle{
		Min: vg.Point{X: c.Max.X - colorBarW, Y: data.Min.Y},
		Max: vg.Point{X: c.Max.X, Y: data.Max.Y},
	}
	cb.Draw(fitData(cb, c, want))
	return main
}

// fitData returns the canvas on which p's data area is want, knowing
// that the space p's axes take does not depend on the canvas size.
func fitData(p *plot.Plot, c draw.Canvas, want vg.Rectangle) draw.Canvas {
	d := p.DataCanvas(c)
	c.Min.X += want.Min.X - d.Min.X
	c.Min.Y += want.Min.Y - d.Min.Y
	c.Max.X += want.Max.X - d.Max.X
	c.Max.Y += want.Max.Y - d.Max.Y
	return c
}

// drawPanels draws the panels stacked in c; stacked panels share the x
// range, and only the bottom one labels it.
func (ch *Chart) drawPanels(c draw.Canvas) {
	if len(ch.panels) == 1 {
		ch.panels[0].Draw(ch.turnNames(0, c))
		return
	}
	rows := make([][]*plot.Plot, len(ch.panels))
	for i, p := range ch.panels {
		rows[i] = []*plot.Plot{p}
	}
	tiles := draw.Tiles{Rows: len(rows), Cols: 1, PadY: panelGap}
	for i, cs := range plot.Align(rows, tiles, c) {
		ch.panels[i].Draw(cs[0])
	}
}

// turnNames turns the category names of panel i when they are wider
// than their slots on canvas c, and returns c.
func (ch *Chart) turnNames(i int, c draw.Canvas) draw.Canvas {
	names, p := ch.nominal[i], ch.panels[i]
	if len(names) == 0 {
		return c
	}
	p.X.Tick.Label.Rotation = 0 // decide afresh for each size drawn
	p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = draw.XCenter, draw.YTop
	slot := p.DataCanvas(c).Size().X / vg.Length(len(names))
	for _, n := range names {
		if p.X.Tick.Label.Width(n) > 0.9*slot {
			p.X.Tick.Label.Rotation = turnedAngle
			p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = draw.XRight, draw.YTop
			break
		}
	}
	return c
}

// shareX gives all panels the union of their x ranges and keeps the
// x tick labels and title on the bottom panel only.
func shareX(panels []*plot.Plot) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, p := range panels {
		lo, hi = math.Min(lo, p.X.Min), math.Max(hi, p.X.Max)
	}
	for i, p := range panels {
		p.X.Min, p.X.Max = lo, hi
		if i < len(panels)-1 {
			p.X.Label.Text = ""
			p.X.Tick.Marker = unlabelled{p.X.Tick.Marker}
		}
	}
}

// unlabelled keeps the tick marks of a Ticker and drops their labels.
type unlabelled struct{ plot.Ticker }

func (u unlabelled) Ticks(lo, hi float64) []plot.Tick {
	ts := u.Ticker.Ticks(lo, hi)
	for i := range ts {
		ts[i].Label = ""
	}
	return ts
}
