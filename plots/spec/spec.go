package spec

import (
	"errors"
	"fmt"
	"regexp"
)

// Figure is one figure drawn from one tidy CSV file. Exactly one of the
// kind fields (Bar, Line, TimeSeries, HeatMap, CDF, Box) is set.
type Figure struct {
	// Name is the output base name: plots writes <Name>.png and
	// <Name>.svg. Letters, digits, '.', '_' and '-' only.
	Name string `json:"name"`
	// Data is the CSV file, relative to the directory of the spec.
	Data   string `json:"data"`
	Output Output `json:"output,omitzero"`

	Bar        *Bar        `json:"bar,omitempty"`
	Line       *Line       `json:"line,omitempty"`
	TimeSeries *TimeSeries `json:"timeseries,omitempty"`
	HeatMap    *HeatMap    `json:"heatmap,omitempty"`
	CDF        *CDF        `json:"cdf,omitempty"`
	Box        *Box        `json:"box,omitempty"`
}

// Output is the size of the drawing. Zero fields take the defaults of
// WithDefaults, so a spec can leave Output out.
type Output struct {
	WidthCM  float64 `json:"width_cm,omitempty"`
	HeightCM float64 `json:"height_cm,omitempty"`
	// DPI is the PNG resolution; the SVG is resolution-free.
	DPI int `json:"dpi,omitempty"`
	// EmbedFonts embeds the Liberation fonts in the SVG (about 0.5 MB per
	// face used) so it looks the same where they are not installed. The
	// text is laid out with their metrics either way.
	EmbedFonts bool `json:"embed_fonts,omitempty"`
}

// Default output size: a figure that fits a page column.
const (
	DefaultWidthCM  = 16
	DefaultHeightCM = 10
	DefaultDPI      = 150
)

// WithDefaults returns o with its zero fields set to the defaults.
func (o Output) WithDefaults() Output {
	if o.WidthCM == 0 {
		o.WidthCM = DefaultWidthCM
	}
	if o.HeightCM == 0 {
		o.HeightCM = DefaultHeightCM
	}
	if o.DPI == 0 {
		o.DPI = DefaultDPI
	}
	return o
}

// Axis labels an axis and optionally fixes its scale and range.
type Axis struct {
	// Label is the axis title; empty means the column name.
	Label string `json:"label,omitempty"`
	// Unit is appended to the label in parentheses: "Latency (ms)".
	Unit string `json:"unit,omitempty"`
	// Log draws the axis on a log10 scale; its values must be positive.
	Log bool `json:"log,omitempty"`
	// Min and Max fix the range; nil means the data range.
	Min *float64 `json:"min,omitempty"`
	Max *float64 `json:"max,omitempty"`
}

// Title returns the axis title for a column: the label (or, without
// one, the column name) followed by the unit in parentheses.
func (a Axis) Title(column string) string {
	t := a.Label
	if t == "" {
		t = column
	}
	if a.Unit != "" {
		t += " (" + a.Unit + ")"
	}
	return t
}

// Kind returns the name of the figure kind that is set ("bar", "line",
// "timeseries", "heatmap", "cdf", "box"), or an error unless exactly one
// is.
func (f Figure) Kind() (string, error) {
	var set []string
	for _, k := range f.kinds() {
		if k.set {
			set = append(set, k.name)
		}
	}
	switch len(set) {
	case 1:
		return set[0], nil
	case 0:
		return "", errors.New("no figure kind: set one of bar, line, timeseries, heatmap, cdf, box")
	}
	return "", fmt.Errorf("several figure kinds %v: set exactly one", set)
}

type kind struct {
	name     string
	set      bool
	validate func() error
}

func (f Figure) kinds() []kind {
	return []kind{
		{"bar", f.Bar != nil, func() error { return f.Bar.validate() }},
		{"line", f.Line != nil, func() error { return f.Line.validate() }},
		{"timeseries", f.TimeSeries != nil, func() error { return f.TimeSeries.validate() }},
		{"heatmap", f.HeatMap != nil, func() error { return f.HeatMap.validate() }},
		{"cdf", f.CDF != nil, func() error { return f.CDF.validate() }},
		{"box", f.Box != nil, func() error { return f.Box.validate() }},
	}
}

// namePattern is what a figure name may look like: a plain file stem.
const namePattern = `^[A-Za-z0-9][A-Za-z0-9._-]*$`

// Validate checks the name, the output size and the columns the kind
// needs. Errors name the figure and the field.
func (f Figure) Validate() error {
	if err := f.validate(); err != nil {
		return fmt.Errorf("figure %q: %w", f.Name, err)
	}
	return nil
}

func (f Figure) validate() error {
	if !regexp.MustCompile(namePattern).MatchString(f.Name) {
		return fmt.Errorf("name %q: want letters, digits, '.', '_' or '-', not starting with a punctuation mark", f.Name)
	}
	if f.Data == "" {
		return errors.New("data: no CSV file named")
	}
	if o := f.Output; o.WidthCM < 0 || o.HeightCM < 0 || o.DPI < 0 {
		return fmt.Errorf("output: negative size %+v", o)
	}
	name, err := f.Kind()
	if err != nil {
		return err
	}
	for _, k := range f.kinds() {
		if k.set {
			if err := k.validate(); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
		}
	}
	return nil
}

// need returns an error naming the first field whose column is empty;
// fields alternate field name and column.
func need(fieldColumn ...string) error {
	for i := 0; i+1 < len(fieldColumn); i += 2 {
		if fieldColumn[i+1] == "" {
			return fmt.Errorf("%s: no column named", fieldColumn[i])
		}
	}
	return nil
}

// checkAxes rejects a range with Min >= Max on any of axes.
func checkAxes(names []string, axes ...Axis) error {
	for i, a := range axes {
		if a.Min != nil && a.Max != nil && *a.Min >= *a.Max {
			return fmt.Errorf("%s: min %g is not below max %g", names[i], *a.Min, *a.Max)
		}
		if a.Log && a.Min != nil && *a.Min <= 0 {
			return fmt.Errorf("%s: log axis with min %g <= 0", names[i], *a.Min)
		}
	}
	return nil
}
