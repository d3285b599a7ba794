package plots

import (
	"bytes"
	"strings"
	"testing"

	"github.com/gogarage/garage/plots/spec"
)

// TestDegenerateTables draws figures of one row, one value or no
// usable value: each must draw or fail with an error, never panic.
func TestDegenerateTables(t *testing.T) {
	logY := spec.Axis{Log: true}
	tests := []struct {
		name, csv string
		build     func(*Table) (*Chart, error)
	}{
		{"one bar", "c,v\na,5\n", func(t *Table) (*Chart, error) {
			return Bars(spec.Bar{Category: "c", Value: "v", YAxis: logY}, t)
		}},
		{"one point", "x,y\n3,4\n", func(t *Table) (*Chart, error) {
			return Lines(spec.Line{X: "x", Y: "y", XAxis: logY, YAxis: logY}, t)
		}},
		{"flat line", "x,y\n1,0\n2,0\n", func(t *Table) (*Chart, error) { return Lines(spec.Line{X: "x", Y: "y"}, t) }},
		{"gaps only", "t,y\n1,\n2,\n", func(t *Table) (*Chart, error) {
			return TimeSeries(spec.TimeSeries{X: "t", Panels: []spec.Panel{{Y: "y", YAxis: logY}}}, t)
		}},
		{"one cell", "a,b,v\nx,y,0\n", func(t *Table) (*Chart, error) { return HeatMap(spec.HeatMap{X: "a", Y: "b", Value: "v"}, t) }},
		{"one sample", "v\n7\n", func(t *Table) (*Chart, error) { return CDF(spec.CDF{Value: "v"}, t) }},
		{"one box", "c,v\na,7\n", func(t *Table) (*Chart, error) { return Box(spec.Box{Category: "c", Value: "v"}, t) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ch, err := tt.build(parse(t, tt.csv))
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			if err := ch.WriteSVG(&b, spec.Output{}); err != nil {
				t.Error(err)
			}
			if err := ch.WritePNG(&b, spec.Output{}); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestNoRows(t *testing.T) {
	tab := parse(t, "c,v\n")
	_, err := Bars(spec.Bar{Category: "c", Value: "v"}, tab)
	if err == nil || !strings.Contains(err.Error(), "f.csv: no rows under the header") {
		t.Errorf("Bars of an empty table: %v", err)
	}
}
