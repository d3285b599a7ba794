package plots

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
)

// Table is a parsed tidy CSV file: a header row naming the columns, units
// included (mean_ms), then one observation per row. Every cell remembers
// where it was read, so errors can name file, line and column.
type Table struct {
	// File names the source in error messages.
	File   string
	Header []string
	rows   []row
}

type row struct {
	cells []string
	pos   []pos // of each cell
}

// pos is a 1-based line and byte column in the file.
type pos struct{ line, col int }

// Error is a problem at a place in a CSV file. Line and Col are 1-based
// (Col counts bytes); zero means the whole file or the whole line.
type Error struct {
	File   string
	Line   int
	Col    int
	Column string // header name of the column concerned, if any
	Msg    string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	if e.Col > 0 {
		fmt.Fprintf(&b, ":%d", e.Col)
	}
	if e.Column != "" {
		fmt.Fprintf(&b, ": column %q", e.Column)
	}
	return b.String() + ": " + e.Msg
}

// ReadTable reads and parses the CSV file at path.
func ReadTable(path string) (*Table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ParseTable(path, f)
}

// ParseTable parses CSV from r; file names it in errors. The header must
// name every column once; every row must have as many cells as the
// header.
func ParseTable(file string, r io.Reader) (*Table, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = false
	t := &Table{File: file}
	header, err := cr.Read()
	if err == io.EOF {
		return nil, &Error{File: file, Line: 1, Msg: "empty file, want a header row"}
	}
	if err != nil {
		return nil, t.csvError(err)
	}
	if err := t.setHeader(header, cr); err != nil {
		return nil, err
	}
	return t, t.readRows(cr)
}

// setHeader checks the header names: non-empty and distinct.
func (t *Table) setHeader(header []string, cr *csv.Reader) error {
	seen := map[string]bool{}
	for i, name := range header {
		line, col := cr.FieldPos(i)
		switch {
		case strings.TrimSpace(name) == "":
			return &Error{File: t.File, Line: line, Col: col, Msg: fmt.Sprintf("header field %d is empty", i+1)}
		case seen[name]:
			return &Error{File: t.File, Line: line, Col: col, Column: name, Msg: "named twice in the header"}
		}
		seen[name] = true
	}
	t.Header = header
	return nil
}

func (t *Table) readRows(cr *csv.Reader) error {
	for {
		cells, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return t.csvError(err)
		}
		r := row{cells: cells, pos: make([]pos, len(cells))}
		for i := range cells {
			r.pos[i].line, r.pos[i].col = cr.FieldPos(i)
		}
		t.rows = append(t.rows, r)
	}
}

// csvError turns an encoding/csv error into an *Error at its place.
func (t *Table) csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &Error{File: t.File, Line: pe.Line, Col: pe.Column, Msg: pe.Err.Error()}
	}
	return fmt.Errorf("%s: %w", t.File, err)
}

// Len returns the number of rows.
func (t *Table) Len() int { return len(t.rows) }

// needRows returns an error if t has no rows: there is nothing to draw.
func (t *Table) needRows() error {
	if len(t.rows) == 0 {
		return &Error{File: t.File, Msg: "no rows under the header: nothing to draw"}
	}
	return nil
}

// Line returns the line of row i in the file.
func (t *Table) Line(i int) int { return t.rows[i].pos[0].line }

// Index returns the position of column name in the header, or an error
// listing the columns there are.
func (t *Table) Index(name string) (int, error) {
	for i, h := range t.Header {
		if h == name {
			return i, nil
		}
	}
	msg := fmt.Sprintf("no column %q (the header has %s)", name, strings.Join(t.Header, ", "))
	return 0, &Error{File: t.File, Line: 1, Msg: msg}
}

// Strings returns the cells of column name, one per row.
func (t *Table) Strings(name string) ([]string, error) {
	c, err := t.Index(name)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(t.rows))
	for i, r := range t.rows {
		out[i] = r.cells[c]
	}
	return out, nil
}

// Floats returns the numbers of column name, one per row. Every cell
// must hold a finite number.
func (t *Table) Floats(name string) ([]float64, error) {
	return t.floats(name, false)
}

// OptionalFloats is Floats where an empty cell reads as NaN (no value).
// An empty name reads as a column of NaN.
func (t *Table) OptionalFloats(name string) ([]float64, error) {
	if name == "" {
		return nans(len(t.rows)), nil
	}
	return t.floats(name, true)
}

func (t *Table) floats(name string, optional bool) ([]float64, error) {
	c, err := t.Index(name)
	if err != nil {
		return nil, err
	}
	out := make([]float64, len(t.rows))
	for i := range t.rows {
		if out[i], err = t.float(i, c, optional); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// float parses the cell of row i, column c.
func (t *Table) float(i, c int, optional bool) (float64, error) {
	s := strings.TrimSpace(t.rows[i].cells[c])
	if s == "" && optional {
		return math.NaN(), nil
	}
	if s == "" {
		return 0, t.errorAt(i, c, "empty cell, want a number")
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, t.errorAt(i, c, fmt.Sprintf("%q is not a finite number", s))
	}
	return v, nil
}

// errorAt returns an *Error at the cell of row i, column c.
func (t *Table) errorAt(i, c int, msg string) *Error {
	p := t.rows[i].pos[c]
	return &Error{File: t.File, Line: p.line, Col: p.col, Column: t.Header[c], Msg: msg}
}

// cellError is errorAt for a column given by name, which must exist.
func (t *Table) cellError(i int, name, msg string) *Error {
	c, err := t.Index(name)
	if err != nil {
		panic(err)
	}
	return t.errorAt(i, c, msg)
}

func nans(n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = math.NaN()
	}
	return out
}
