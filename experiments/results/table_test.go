package results

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"
)

type nodeID string

type hash [2]byte

func (h hash) String() string { return fmt.Sprintf("%02x%02x", h[0], h[1]) }

func latencyTable() *Table {
	return NewTable("latency",
		Text("endpoint"), Text("source"), Int("samples", ""),
		Duration("mean", "ms", 3), Duration("min", "ms", 3), Float("rate", "pct", 1))
}

func TestTableCSV(t *testing.T) {
	tab := latencyTable()
	rows := [][]any{
		{"GetObject", "ours (sim)", 100, 121700 * time.Microsecond, 83 * time.Millisecond, 99.95},
		{"Put, then Get", nodeID("n1"), uint8(7), 1234567 * time.Nanosecond, nil, -0.01},
		{hash{0xab, 0x01}, "Garage 0.5.0 (published)", nil, 129 * time.Millisecond, nil, 1e21},
	}
	for _, r := range rows {
		if err := tab.Add(r...); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if _, err := tab.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	want := "endpoint,source,samples,mean_ms,min_ms,rate_pct\n" +
		"GetObject,ours (sim),100,121.700,83.000,100.0\n" +
		"\"Put, then Get\",n1,7,1.235,,0.0\n" +
		"ab01,Garage 0.5.0 (published),,129.000,,1000000000000000000000.0\n"
	if b.String() != want {
		t.Errorf("CSV:\n%s\nwant:\n%s", b.String(), want)
	}
	if tab.Len() != 3 || tab.Name() != "latency" {
		t.Errorf("Len = %d, Name = %q", tab.Len(), tab.Name())
	}
}

func TestFormatFloat(t *testing.T) {
	tests := []struct {
		v        float64
		decimals int
		want     string
	}{
		{math.Nextafter(0.3, 1), -1, "0.30000000000000004"},
		{math.Nextafter(0.3, 1), 3, "0.300"},
		{2.5, 0, "2"}, // round half to even, as strconv does
		{-0.0, -1, "0"},
		{-0.0004, 3, "0.000"},
		{-1.5, 1, "-1.5"},
		{1e-7, -1, "0.0000001"},
	}
	for _, tt := range tests {
		if got, err := formatFloat(tt.v, tt.decimals); err != nil || got != tt.want {
			t.Errorf("formatFloat(%v, %d) = %q, %v; want %q", tt.v, tt.decimals, got, err, tt.want)
		}
	}
}

func TestAddErrors(t *testing.T) {
	tests := []struct {
		row  []any
		want string
	}{
		{[]any{"a", "b"}, "table latency: line 2: 2 values for 6 columns"},
		{[]any{1, "b", 1, time.Second, nil, 1.0}, "line 2: column endpoint: int value 1 in a text column"},
		{[]any{"a", "b", 1.5, time.Second, nil, 1.0}, "column samples: float64 value 1.5 in an integer column"},
		{[]any{"a", "b", 1, 1.0, nil, 1.0}, "column mean_ms: float64 value 1 in a duration column"},
		{[]any{"a", "b", 1, time.Second, nil, math.NaN()}, "column rate_pct: NaN is not a finite number"},
		{[]any{"a", "b", 1, time.Second, nil, math.Inf(-1)}, "column rate_pct: -Inf is not a finite number"},
		{[]any{"a", "b", 1, time.Second, nil, time.Second}, "column rate_pct: duration 1s in a float column"},
	}
	for _, tt := range tests {
		tab := latencyTable()
		err := tab.Add(tt.row...)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Add(%v) = %v, want an error containing %q", tt.row, err, tt.want)
		}
		if tab.Len() != 0 {
			t.Errorf("Add(%v) failed but added the row", tt.row)
		}
	}
}

func TestNewTablePanics(t *testing.T) {
	tests := []struct {
		name string
		cols []Column
		want string
	}{
		{"a/b", nil, `table name "a/b"`},
		{"t", []Column{Text("Endpoint")}, `column name "Endpoint"`},
		{"t", []Column{Float("rate", "ops/s", 1)}, `unit "ops/s"`},
		{"t", []Column{Duration("mean", "msec", 1)}, `unit "msec": want ns, us, ms`},
		{"t", []Column{Float("mean", "ms", 1), Duration("mean", "ms", 1)}, "column mean_ms twice"},
	}
	for _, tt := range tests {
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), tt.want) {
					t.Errorf("NewTable(%q, %v) panic = %v, want one containing %q", tt.name, tt.cols, r, tt.want)
				}
			}()
			NewTable(tt.name, tt.cols...)
		}()
	}
}

func ExampleTable() {
	t := NewTable("latency", Text("endpoint"), Text("source"),
		Duration("mean", "ms", 1), Duration("min", "ms", 1), Duration("max", "ms", 1))
	t.Add("GetObject", "ours (sim)", 121700*time.Microsecond, 83*time.Millisecond, 162400*time.Microsecond)
	t.Add("GetObject", "Garage 0.5.0 (published)", 129*time.Millisecond, nil, nil)
	var b strings.Builder
	t.WriteTo(&b)
	fmt.Print(b.String())
	// Output:
	// endpoint,source,mean_ms,min_ms,max_ms
	// GetObject,ours (sim),121.7,83.0,162.4
	// GetObject,Garage 0.5.0 (published),129.0,,
}
