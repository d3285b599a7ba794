package layout

import (
	"errors"
	"strings"
	"testing"
)

func TestComputeErrors(t *testing.T) {
	a := StorageRole("a", 1e9)
	tests := []struct {
		name    string
		members []Member
		params  Params
		want    error
	}{
		{"no nodes", nil, DefaultParams(1), ErrTooFewNodes},
		{"fewer nodes than RF", []Member{{"x", a}, {"y", a}}, DefaultParams(3), ErrTooFewNodes},
		{"gateways do not count", []Member{{"x", a}, {"y", a}, {"g", GatewayRole("b")}}, DefaultParams(3), ErrTooFewNodes},
		{"fewer zones than redundancy", []Member{{"x", a}, {"y", a}, {"z", StorageRole("b", 1e9)}},
			Params{Replication: 3, Redundancy: AtLeast(3), PartitionBits: 8}, ErrTooFewZones},
		{"redundancy above RF", []Member{{"x", a}, {"y", a}}, Params{Replication: 2, Redundancy: AtLeast(3), PartitionBits: 8}, ErrBadParams},
		{"zero RF", []Member{{"x", a}}, Params{Replication: 0, PartitionBits: 8}, ErrBadParams},
		{"too many partition bits", []Member{{"x", a}}, Params{Replication: 1, PartitionBits: 17}, ErrBadParams},
		{"zero capacity", []Member{{"x", StorageRole("a", 0)}}, DefaultParams(1), ErrBadRole},
		{"negative capacity", []Member{{"x", StorageRole("a", -5)}}, DefaultParams(1), ErrBadRole},
		{"gateway with capacity", []Member{{"x", Role{Zone: "a", Gateway: true, Capacity: 3}}}, DefaultParams(1), ErrBadRole},
		{"empty zone", []Member{{"x", StorageRole("", 10)}}, DefaultParams(1), ErrBadRole},
		{"duplicate node", []Member{{"x", a}, {"x", a}}, DefaultParams(1), ErrBadRole},
		{"capacity below one byte per partition", []Member{{"x", StorageRole("a", 10)}, {"y", StorageRole("b", 1000)}},
			Params{Replication: 2, PartitionBits: 8}, ErrInfeasible},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Compute(1, tt.members, tt.params, nil)
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
			t.Log(err)
		})
	}
}

func TestPartitionOf(t *testing.T) {
	tests := []struct {
		b0, b1 byte
		bits   int
		want   Partition
	}{
		{0x00, 0x00, 8, 0},
		{0xff, 0xff, 8, 255},
		{0xab, 0xcd, 8, 0xab},
		{0xab, 0xcd, 4, 0xa},
		{0xab, 0xcd, 12, 0xabc},
		{0xab, 0xcd, 16, 0xabcd},
		{0xab, 0xcd, 0, 0},
		{0x80, 0x00, 1, 1},
	}
	for _, tt := range tests {
		var h Hash
		h[0], h[1], h[31] = tt.b0, tt.b1, 0xff
		if got := PartitionOf(h, tt.bits); got != tt.want {
			t.Errorf("PartitionOf(%x%x.., %d) = %d, want %d", tt.b0, tt.b1, tt.bits, got, tt.want)
		}
		if got := PartitionOf(FirstHash(tt.want, tt.bits), tt.bits); got != tt.want {
			t.Errorf("FirstHash(%d, %d) maps to %d", tt.want, tt.bits, got)
		}
	}
}

func TestFormatBytes(t *testing.T) {
	tests := []struct {
		n    int64
		want string
	}{
		{0, "0 B"}, {999, "999 B"}, {1000, "1.0 KB"}, {3_900_000, "3.9 MB"}, {1e12, "1.0 TB"}, {58139534883, "58.1 GB"},
	}
	for _, tt := range tests {
		if got := FormatBytes(tt.n); got != tt.want {
			t.Errorf("FormatBytes(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

func TestSummaryWarnings(t *testing.T) {
	tests := []struct {
		name    string
		members []Member
		want    string
	}{
		{"tiny partitions", []Member{{"x", StorageRole("a", 1000)}}, "under 100 bytes"},
		{"few zones", []Member{{"x", StorageRole("a", 1e9)}, {"y", StorageRole("a", 1e9)}}, "only 1 zones"},
		{"unused capacity", []Member{{"x", StorageRole("a", 1e9)}, {"y", StorageRole("b", 9e9)}}, "left unused"},
	}
	for _, tt := range tests {
		v, err := Compute(1, tt.members, DefaultParams(len(tt.members)), nil)
		must(t, err)
		s := Summarize(nil, &v)
		if !strings.Contains(strings.Join(s.Warnings, "\n"), tt.want) {
			t.Errorf("%s: warnings %q lack %q", tt.name, s.Warnings, tt.want)
		}
	}
}
