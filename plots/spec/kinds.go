package spec

import (
	"errors"
	"fmt"
)

// Bar is a grouped bar chart: one group of bars per category, one bar
// per series in each group. The bar height is Value; Low and High, when
// named, are the bottom and top of an error bar in the same unit as
// Value (e.g. min_ms and max_ms around mean_ms). A row whose Low and High
// cells are empty gets a plain bar, so published means can sit beside
// measured ranges.
type Bar struct {
	Title    string `json:"title,omitempty"`
	Category string `json:"category"`
	Value    string `json:"value"`
	Low      string `json:"low,omitempty"`
	High     string `json:"high,omitempty"`
	// Series names the column whose values are the series; empty means
	// one series.
	Series string `json:"series,omitempty"`
	// Categories and SeriesOrder fix the order of the groups and of the
	// bars in a group; values they do not list follow in the order of
	// first appearance in the CSV.
	Categories  []string `json:"categories,omitempty"`
	SeriesOrder []string `json:"series_order,omitempty"`
	XAxis       Axis     `json:"x_axis,omitzero"`
	YAxis       Axis     `json:"y_axis,omitzero"`
}

func (b *Bar) validate() error {
	if err := need("category", b.Category, "value", b.Value); err != nil {
		return err
	}
	if b.XAxis.Log || b.XAxis.Min != nil || b.XAxis.Max != nil {
		return errors.New("x_axis: a category axis has no scale or range")
	}
	return checkAxes([]string{"y_axis"}, b.YAxis)
}

// Line draws Y against X, one line with markers per series, in the order
// of X. Low and High optionally name error bar columns, as for Bar.
type Line struct {
	Title       string   `json:"title,omitempty"`
	X           string   `json:"x"`
	Y           string   `json:"y"`
	Low         string   `json:"low,omitempty"`
	High        string   `json:"high,omitempty"`
	Series      string   `json:"series,omitempty"`
	SeriesOrder []string `json:"series_order,omitempty"`
	XAxis       Axis     `json:"x_axis,omitzero"`
	YAxis       Axis     `json:"y_axis,omitzero"`
}

func (l *Line) validate() error {
	if err := need("x", l.X, "y", l.Y); err != nil {
		return err
	}
	return checkAxes([]string{"x_axis", "y_axis"}, l.XAxis, l.YAxis)
}

// TimeSeries draws one or more panels stacked on a shared time axis X,
// one line per series in each panel, over shaded intervals (a fault
// window, a layout change).
type TimeSeries struct {
	Title       string   `json:"title,omitempty"`
	X           string   `json:"x"`
	Series      string   `json:"series,omitempty"`
	SeriesOrder []string `json:"series_order,omitempty"`
	XAxis       Axis     `json:"x_axis,omitzero"`
	// Panels are drawn top to bottom.
	Panels []Panel `json:"panels"`
	// Windows are shaded intervals given in the spec; WindowData adds the
	// rows of a second CSV file.
	Windows    []Window     `json:"windows,omitempty"`
	WindowData *WindowTable `json:"window_data,omitempty"`
}

// Panel is one stacked panel of a TimeSeries.
type Panel struct {
	Y     string `json:"y"`
	YAxis Axis   `json:"y_axis,omitzero"`
}

// Window is a shaded interval [Start, End] of a time series, in the unit
// of its X column, with an optional label drawn at its top.
type Window struct {
	Start float64 `json:"start"`
	End   float64 `json:"end"`
	Label string  `json:"label,omitempty"`
}

// WindowTable reads windows from a CSV file (relative to the spec's
// directory), one window per row.
type WindowTable struct {
	Data  string `json:"data"`
	Start string `json:"start"`
	End   string `json:"end"`
	Label string `json:"label,omitempty"`
}

func (t *TimeSeries) validate() error {
	if err := need("x", t.X); err != nil {
		return err
	}
	if len(t.Panels) == 0 {
		return errors.New("panels: none")
	}
	names, axes := []string{"x_axis"}, []Axis{t.XAxis}
	for i, p := range t.Panels {
		if p.Y == "" {
			return fmt.Errorf("panels[%d].y: no column named", i)
		}
		names, axes = append(names, fmt.Sprintf("panels[%d].y_axis", i)), append(axes, p.YAxis)
	}
	if err := checkAxes(names, axes...); err != nil {
		return err
	}
	return t.validateWindows()
}

func (t *TimeSeries) validateWindows() error {
	for i, w := range t.Windows {
		if !(w.Start <= w.End) {
			return fmt.Errorf("windows[%d]: start %g after end %g", i, w.Start, w.End)
		}
	}
	if d := t.WindowData; d != nil {
		return need("window_data.data", d.Data, "window_data.start", d.Start, "window_data.end", d.End)
	}
	return nil
}

// HeatMap colours a grid of categorical X × Y cells by Value and writes
// each value in its cell, with a colour legend. Y categories run top to
// bottom in order.
type HeatMap struct {
	Title  string   `json:"title,omitempty"`
	X      string   `json:"x"`
	Y      string   `json:"y"`
	Value  string   `json:"value"`
	XOrder []string `json:"x_order,omitempty"`
	YOrder []string `json:"y_order,omitempty"`
	XAxis  Axis     `json:"x_axis,omitzero"`
	YAxis  Axis     `json:"y_axis,omitzero"`
	// ColorAxis labels the colour legend; its Min and Max fix the range
	// of the colour scale (default: the data range).
	ColorAxis Axis `json:"color_axis,omitzero"`
	// Format is the fmt verb for the cell texts, e.g. "%.0f" or "%.1f%%";
	// empty means the shortest exact decimal.
	Format string `json:"format,omitempty"`
}

func (h *HeatMap) validate() error {
	if err := need("x", h.X, "y", h.Y, "value", h.Value); err != nil {
		return err
	}
	for _, a := range []Axis{h.XAxis, h.YAxis, h.ColorAxis} {
		if a.Log {
			return errors.New("log scale: not supported on a heat map")
		}
	}
	if h.Format != "" && containsBadVerb(fmt.Sprintf(h.Format, 1.5)) {
		return fmt.Errorf("format %q: want one float verb such as %%.1f", h.Format)
	}
	return checkAxes([]string{"color_axis"}, h.ColorAxis)
}

// containsBadVerb reports whether fmt flagged a verb that does not suit
// one float64 argument.
func containsBadVerb(s string) bool {
	for i := 0; i+1 < len(s); i++ {
		if s[i] == '%' && s[i+1] == '!' {
			return true
		}
	}
	return false
}

// CDF draws the empirical cumulative distribution of Value, one step line
// per series.
type CDF struct {
	Title       string   `json:"title,omitempty"`
	Value       string   `json:"value"`
	Series      string   `json:"series,omitempty"`
	SeriesOrder []string `json:"series_order,omitempty"`
	// XAxis is the value axis; YAxis the cumulative fraction (0 to 1).
	XAxis Axis `json:"x_axis,omitzero"`
	YAxis Axis `json:"y_axis,omitzero"`
}

func (c *CDF) validate() error {
	if err := need("value", c.Value); err != nil {
		return err
	}
	if c.YAxis.Log {
		return errors.New("y_axis: a cumulative fraction has no log scale")
	}
	return checkAxes([]string{"x_axis"}, c.XAxis)
}

// Box draws one box plot of Value per category: median, quartiles,
// whiskers to the farthest points within 1.5 IQR, and outliers.
type Box struct {
	Title      string   `json:"title,omitempty"`
	Category   string   `json:"category"`
	Value      string   `json:"value"`
	Categories []string `json:"categories,omitempty"`
	XAxis      Axis     `json:"x_axis,omitzero"`
	YAxis      Axis     `json:"y_axis,omitzero"`
}

func (b *Box) validate() error {
	if err := need("category", b.Category, "value", b.Value); err != nil {
		return err
	}
	if b.XAxis.Log || b.XAxis.Min != nil || b.XAxis.Max != nil {
		return errors.New("x_axis: a category axis has no scale or range")
	}
	return checkAxes([]string{"y_axis"}, b.YAxis)
}
