package plots

import (
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func parse(t *testing.T, csv string) *Table {
	t.Helper()
	tab, err := ParseTable("f.csv", strings.NewReader(csv))
	if err != nil {
		t.Fatalf("ParseTable: %v", err)
	}
	return tab
}

func TestParseTable(t *testing.T) {
	tab := parse(t, "endpoint,mean_ms,min_ms\nGetObject,121.5,80\n\"List, all\", 3e2 ,\n")
	if got, want := tab.Header, []string{"endpoint", "mean_ms", "min_ms"}; !slices.Equal(got, want) {
		t.Errorf("Header = %q, want %q", got, want)
	}
	if tab.Len() != 2 || tab.Line(1) != 3 {
		t.Errorf("Len = %d, Line(1) = %d, want 2 rows, the second on line 3", tab.Len(), tab.Line(1))
	}
	names, _ := tab.Strings("endpoint")
	means, err := tab.Floats("mean_ms")
	if err != nil || !slices.Equal(names, []string{"GetObject", "List, all"}) || !slices.Equal(means, []float64{121.5, 300}) {
		t.Errorf("endpoint = %q, mean_ms = %v (%v)", names, means, err)
	}
	mins, err := tab.OptionalFloats("min_ms")
	if err != nil || mins[0] != 80 || !math.IsNaN(mins[1]) {
		t.Errorf("OptionalFloats(min_ms) = %v, %v; want [80 NaN]", mins, err)
	}
	none, _ := tab.OptionalFloats("")
	if len(none) != 2 || !math.IsNaN(none[0]) {
		t.Errorf(`OptionalFloats("") = %v, want two NaN`, none)
	}
}

func TestParseTableErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "f.csv:1: empty file, want a header row"},
		{"a,b\n1,2,3\n", "f.csv:2:1: wrong number of fields"},
		{"a,b,a\n", `f.csv:1:5: column "a": named twice in the header`},
		{"a,,b\n", "f.csv:1:3: header field 2 is empty"},
		{"a,b\n1,\"x\"y\n", `f.csv:2:5: extraneous or missing " in quoted-field`},
	}
	for _, tt := range tests {
		_, err := ParseTable("f.csv", strings.NewReader(tt.in))
		if err == nil || err.Error() != tt.want {
			t.Errorf("ParseTable(%q) error = %v, want %q", tt.in, err, tt.want)
		}
	}
}

func TestFloatsErrors(t *testing.T) {
	tab := parse(t, "endpoint,mean_ms,max_ms\nGetObject,1,\nPutObject,fast,2\nList,NaN,Inf\n")
	tests := []struct {
		read func() error
		want string
	}{
		{func() error { _, err := tab.Floats("min_ms"); return err }, `f.csv:1: no column "min_ms" (the header has endpoint, mean_ms, max_ms)`},
		{func() error { _, err := tab.Floats("mean_ms"); return err }, `f.csv:3:11: column "mean_ms": "fast" is not a finite number`},
		{func() error { _, err := tab.Floats("max_ms"); return err }, `f.csv:2:13: column "max_ms": empty cell, want a number`},
		{func() error { _, err := tab.OptionalFloats("max_ms"); return err }, `f.csv:4:10: column "max_ms": "Inf" is not a finite number`},
		{func() error { _, err := tab.Strings("nope"); return err }, `f.csv:1: no column "nope"`},
	}
	for i, tt := range tests {
		err := tt.read()
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("case %d: error = %v, want %q", i, err, tt.want)
		}
		var e *Error
		if !errors.As(err, &e) || e.File != "f.csv" || e.Line == 0 {
			t.Errorf("case %d: error %v is not an *Error with file and line", i, err)
		}
	}
}

func TestReadTableFromFile(t *testing.T) {
	path := filepath.Join("testdata", "bad", "latency.csv")
	tab, err := ReadTable(path)
	if err != nil {
		t.Fatal(err)
	}
	_, err = tab.Floats("mean_ms")
	want := path + `:3:22: column "mean_ms": "fast" is not a finite number`
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %q", err, want)
	}
	if _, err := ReadTable(filepath.Join("testdata", "missing.csv")); err == nil {
		t.Error("ReadTable of a missing file: no error")
	}
}

func TestOrder(t *testing.T) {
	tests := []struct{ vals, preferred, want []string }{
		{[]string{"b", "a", "b", "c"}, nil, []string{"b", "a", "c"}},
		{[]string{"b", "a", "c"}, []string{"c", "x", "a"}, []string{"c", "a", "b"}},
		{nil, []string{"x"}, nil},
	}
	for _, tt := range tests {
		if got := order(tt.vals, tt.preferred); !slices.Equal(got, tt.want) {
			t.Errorf("order(%q, %q) = %q, want %q", tt.vals, tt.preferred, got, tt.want)
		}
	}
}

func ExampleParseTable() {
	csv := "endpoint,mean_ms\nGetObject,129\nPutObject,12l\n"
	t, _ := ParseTable("latency.csv", strings.NewReader(csv))
	names, _ := t.Strings("endpoint")
	fmt.Println(names)
	_, err := t.Floats("mean_ms")
	fmt.Println(err)
	// Output:
	// [GetObject PutObject]
	// latency.csv:3:11: column "mean_ms": "12l" is not a finite number
}
