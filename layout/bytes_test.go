package layout

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

func TestParseBytes(t *testing.T) {
	tests := []struct {
		in      string
		want    int64
		wantErr string
	}{
		{"1000000B", 1e6, ""},
		{"10G", 10e9, ""},
		{"10g", 10e9, ""},
		{"500M", 500e6, ""},
		{"500MB", 500e6, ""},
		{"1T", 1e12, ""},
		{"1.5T", 1.5e12, ""},
		{" 2 GB ", 2e9, ""},
		{"1Ki", 1024, ""},
		{"1GiB", 1 << 30, ""},
		{"3P", 3e15, ""},
		{"1.5B", 1, ""},
		{"0", 0, ""},
		{"0G", 0, ""},
		{"10", 0, `"10" has no unit`},
		{"1.5", 0, "no unit"},
		{"", 0, "want a number"},
		{"G", 0, "want a number"},
		{"abc", 0, "want a number"},
		{"-5G", 0, "want a number"},
		{"10X", 0, `unknown unit "X"`},
		{"10 gigs", 0, "unknown unit"},
		{"10GiBB", 0, "unknown unit"},
		{"1.2.3G", 0, "want a number"},
		{"99999999999999999999G", 0, "too large"},
		{"10000000P", 0, "too large"},
		{"1e9", 0, "unknown unit"},
	}
	for _, tt := range tests {
		got, err := ParseBytes(tt.in)
		switch {
		case tt.wantErr == "" && (err != nil || got != tt.want):
			t.Errorf("ParseBytes(%q): got %d, %v; want %d", tt.in, got, err, tt.want)
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("ParseBytes(%q): got %d, %v; want an error containing %q", tt.in, got, err, tt.wantErr)
		}
	}
}

// TestParseBytesProperty checks that every positive integer with a unit
// parses to exactly that integer times the unit.
func TestParseBytesProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	units := map[string]int64{"B": 1, "K": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "Ki": 1 << 10, "Gi": 1 << 30, "TiB": 1 << 40}
	for range 2000 {
		for u, mult := range units {
			n := 1 + r.Int64N(1e6)
			got, err := ParseBytes(strconv.FormatInt(n, 10) + u)
			if err != nil || got != n*mult {
				t.Fatalf("ParseBytes(%d%s): got %d, %v; want %d", n, u, got, err, n*mult)
			}
		}
	}
}

func ExampleParseBytes() {
	n, _ := ParseBytes("1.5G")
	_, err := ParseBytes("10")
	fmt.Println(n, FormatBytes(n))
	fmt.Println(err)
	// Output:
	// 1500000000 1.5 GB
	// "10" has no unit: want a number and a unit, e.g. 10G, 500M, 1.5T, 1TiB or 4096B (a plain number of bytes needs the unit B: 10B)
}
