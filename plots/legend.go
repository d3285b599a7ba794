package plots

import (
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// legend names the series in rows under the title, each entry a
// thumbnail then its name, wrapping to as many rows as the width needs:
// it takes height rather than the width the data needs.
type legend struct {
	th      theme
	entries []legendEntry
}

type legendEntry struct {
	name   string
	thumbs []plot.Thumbnailer
}

// Legend geometry, in points.
const (
	thumbW     = vg.Length(18)
	thumbGap   = vg.Length(4)  // between a thumbnail and its name
	entryGap   = vg.Length(14) // between entries of a row
	rowGap     = vg.Length(3)  // between rows
	legendDrop = vg.Length(6)  // below the last row
)

func (l *legend) add(name string, thumbs ...plot.Thumbnailer) {
	l.entries = append(l.entries, legendEntry{name: name, thumbs: thumbs})
}

// width returns the width entry i takes in a row.
func (l *legend) width(i int) vg.Length {
	return thumbW + thumbGap + l.th.text(legendSize).Width(l.entries[i].name)
}

// rows splits the entries into rows no wider than w (an entry wider
// than w gets a row of its own).
func (l *legend) rows(w vg.Length) [][]int {
	var rows [][]int
	var used vg.Length
	for i := range l.entries {
		ew := l.width(i)
		if n := len(rows); n > 0 && used+entryGap+ew <= w {
			rows[n-1], used = append(rows[n-1], i), used+entryGap+ew
			continue
		}
		rows, used = append(rows, []int{i}), ew
	}
	return rows
}

func (l *legend) rowHeight() vg.Length { return l.th.text(legendSize).FontExtents().Height }

// draw draws the legend, rows centred, at the top of c and returns what
// is left below it.
func (l *legend) draw(c draw.Canvas) draw.Canvas {
	y := c.Max.Y
	for _, row := range l.rows(c.Size().X) {
		y -= l.rowHeight()
		x := c.Center().X - l.rowWidth(row)/2
		for _, i := range row {
			l.drawEntry(c, i, vg.Point{X: x, Y: y})
			x += l.width(i) + entryGap
		}
		y -= rowGap
	}
	return draw.Crop(c, 0, 0, 0, y-c.Max.Y-legendDrop)
}

func (l *legend) rowWidth(row []int) vg.Length {
	w := entryGap * vg.Length(len(row)-1)
	for _, i := range row {
		w += l.width(i)
	}
	return w
}

// drawEntry draws entry i with the bottom left of its row slot at pt.
func (l *legend) drawEntry(c draw.Canvas, i int, pt vg.Point) {
	h := l.rowHeight()
	box := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
		Min: vg.Point{X: pt.X, Y: pt.Y + 0.2*h},
		Max: vg.Point{X: pt.X + thumbW, Y: pt.Y + 0.8*h},
	}}
	for _, t := range l.entries[i].thumbs {
		t.Thumbnail(&box)
	}
	sty := l.th.text(legendSize)
	sty.YAlign = draw.YCenter
	c.FillText(sty, vg.Point{X: pt.X + thumbW + thumbGap, Y: pt.Y + h/2}, l.entries[i].name)
}
