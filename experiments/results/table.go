package results

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Column is one typed column of a Table. Its header is its name, then
// its unit after an underscore: Float("mean", "ms", 3) heads "mean_ms".
type Column struct {
	Name string
	Unit string
	kind kind
	// decimals of Float and Duration cells; negative: the shortest form
	// that reads back exactly.
	decimals int
}

type kind int

const (
	kindText kind = iota
	kindInt
	kindFloat
	kindDuration
)

func (k kind) String() string {
	return [...]string{"text", "integer", "float", "duration"}[k]
}

// Text is a column of strings (or fmt.Stringers), such as an endpoint or
// a series name.
func Text(name string) Column { return Column{Name: name, kind: kindText} }

// Int is a column of integers in unit (empty for a plain count).
func Int(name, unit string) Column { return Column{Name: name, Unit: unit, kind: kindInt} }

// Float is a column of finite floats in unit, written with decimals
// digits after the point (negative: the shortest exact form).
func Float(name, unit string, decimals int) Column {
	return Column{Name: name, Unit: unit, kind: kindFloat, decimals: decimals}
}

// Duration is a column of time.Durations written as a number of unit
// ("ns", "us", "ms", "s", "min" or "h") with decimals digits after the
// point: Duration("mean", "ms", 3) writes 1234567ns as 1.235.
func Duration(name, unit string, decimals int) Column {
	return Column{Name: name, Unit: unit, kind: kindDuration, decimals: decimals}
}

// Header returns the column's name in the CSV header.
func (c Column) Header() string {
	if c.Unit == "" {
		return c.Name
	}
	return c.Name + "_" + c.Unit
}

// durationUnit returns the length of one unit of a Duration column.
func durationUnit(unit string) (time.Duration, bool) {
	d, ok := map[string]time.Duration{
		"ns": time.Nanosecond, "us": time.Microsecond, "ms": time.Millisecond,
		"s": time.Second, "min": time.Minute, "h": time.Hour,
	}[unit]
	return d, ok
}

// Table is a tidy table under construction: typed columns, one row per
// observation, written as CSV.
type Table struct {
	name string
	cols []Column
	rows [][]string
}

// NewTable returns an empty table written as <name>.csv. Column
// definitions are code, not data, so a bad one panics: a name that is not
// lower-case letters, digits and underscores (starting with a letter), a
// unit that is not letters and digits, a repeated header, or a Duration
// column with an unknown unit.
func NewTable(name string, cols ...Column) *Table {
	if !regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`).MatchString(name) {
		panic(fmt.Sprintf("results: table name %q: want a plain file stem", name))
	}
	seen := map[string]bool{}
	for _, c := range cols {
		if err := c.check(); err != nil {
			panic(fmt.Sprintf("results: table %s: %v", name, err))
		}
		if seen[c.Header()] {
			panic(fmt.Sprintf("results: table %s: column %s twice", name, c.Header()))
		}
		seen[c.Header()] = true
	}
	return &Table{name: name, cols: cols}
}

func (c Column) check() error {
	if !regexp.MustCompile(`^[a-z][a-z0-9_]*$`).MatchString(c.Name) {
		return fmt.Errorf("column name %q: want lower-case letters, digits and '_', starting with a letter", c.Name)
	}
	if c.Unit != "" && !regexp.MustCompile(`^[A-Za-z0-9]+$`).MatchString(c.Unit) {
		return fmt.Errorf("column %s: unit %q: want letters and digits, such as ms, pct or MiB", c.Name, c.Unit)
	}
	if _, ok := durationUnit(c.Unit); c.kind == kindDuration && !ok {
		return fmt.Errorf("duration column %s: unit %q: want ns, us, ms, s, min or h", c.Name, c.Unit)
	}
	return nil
}

// Name returns the table's file stem.
func (t *Table) Name() string { return t.name }

// Len returns the number of rows added.
func (t *Table) Len() int { return len(t.rows) }

// Header returns the CSV header, one name per column.
func (t *Table) Header() []string {
	h := make([]string, len(t.cols))
	for i, c := range t.cols {
		h[i] = c.Header()
	}
	return h
}

// Add appends a row, one value per column in order. A nil value is an
// empty cell (no value, e.g. a published series without min and max).
// A value of the wrong type for its column, NaN or an infinity is an
// error naming the table, line and column; the row is then not added.
func (t *Table) Add(values ...any) error {
	line := len(t.rows) + 2 // the header is line 1
	if len(values) != len(t.cols) {
		return fmt.Errorf("table %s: line %d: %d values for %d columns", t.name, line, len(values), len(t.cols))
	}
	row := make([]string, len(values))
	for i, v := range values {
		cell, err := t.cols[i].format(v)
		if err != nil {
			return fmt.Errorf("table %s: line %d: column %s: %w", t.name, line, t.cols[i].Header(), err)
		}
		row[i] = cell
	}
	t.rows = append(t.rows, row)
	return nil
}

// format writes one value of column c.
func (c Column) format(v any) (string, error) {
	if v == nil {
		return "", nil
	}
	switch c.kind {
	case kindText:
		return formatText(v)
	case kindInt:
		return formatInt(v)
	case kindFloat:
		f, err := toFloat(v)
		if err != nil {
			return "", err
		}
		return formatFloat(f, c.decimals)
	}
	d, ok := v.(time.Duration)
	if !ok {
		return "", fmt.Errorf("%T value %v in a duration column", v, v)
	}
	unit, _ := durationUnit(c.Unit)
	return formatFloat(float64(d)/float64(unit), c.decimals)
}

// formatText accepts strings, fmt.Stringers and string kinds.
func formatText(v any) (string, error) {
	if s, ok := v.(fmt.Stringer); ok {
		return s.String(), nil
	}
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.String {
		return rv.String(), nil
	}
	return "", fmt.Errorf("%T value %v in a text column", v, v)
}

func formatInt(v any) (string, error) {
	rv := reflect.ValueOf(v)
	switch {
	case rv.CanInt():
		return strconv.FormatInt(rv.Int(), 10), nil
	case rv.CanUint():
		return strconv.FormatUint(rv.Uint(), 10), nil
	}
	return "", fmt.Errorf("%T value %v in an integer column", v, v)
}

// toFloat accepts floats and integers, named types included, but not a
// time.Duration, whose unit a Duration column says.
func toFloat(v any) (float64, error) {
	if _, ok := v.(time.Duration); ok {
		return 0, fmt.Errorf("duration %v in a float column (use a Duration column)", v)
	}
	rv := reflect.ValueOf(v)
	switch {
	case rv.CanFloat():
		return rv.Float(), nil
	case rv.CanInt():
		return float64(rv.Int()), nil
	case rv.CanUint():
		return float64(rv.Uint()), nil
	}
	return 0, fmt.Errorf("%T value %v in a float column", v, v)
}

// formatFloat writes a finite v in positional notation with decimals
// digits (the shortest exact form if negative), and no negative zero.
func formatFloat(v float64, decimals int) (string, error) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "", fmt.Errorf("%v is not a finite number (leave the cell empty with nil)", v)
	}
	s := strconv.FormatFloat(v, 'f', max(decimals, -1), 64)
	if strings.Trim(s, "-0.") == "" {
		s = strings.TrimPrefix(s, "-")
	}
	return s, nil
}

// WriteTo writes the table as CSV: the header, then the rows in the order
// added, lines ending in "\n".
func (t *Table) WriteTo(w io.Writer) (int64, error) {
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	cw.Write(t.Header())
	cw.WriteAll(t.rows) // flushes; errors only from the buffer, which has none
	if err := cw.Error(); err != nil {
		return 0, err
	}
	return b.WriteTo(w)
}
