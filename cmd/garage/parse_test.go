package main

import (
	"slices"
	"strings"
	"testing"

	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/node/rt"
)

// TestParseCapacity checks what the CLI adds to layout.ParseBytes (which
// has its own tests): a capacity of at least one byte, errors named as a
// capacity.
func TestParseCapacity(t *testing.T) {
	tests := []struct {
		in      string
		want    int64
		wantErr string
	}{
		{"10G", 1e10, ""},
		{"1GiB", 1 << 30, ""},
		{"0", 0, "at least 1 byte"},
		{"0.0001B", 0, "at least 1 byte"},
		{"10", 0, "capacity"},
		{"10X", 0, `unknown unit "X"`},
	}
	for _, tt := range tests {
		got, err := parseCapacity(tt.in)
		switch {
		case tt.wantErr == "" && (err != nil || got != tt.want):
			t.Errorf("parseCapacity(%q): got %d, %v; want %d", tt.in, got, err, tt.want)
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("parseCapacity(%q): got %d, %v; want an error containing %q", tt.in, got, err, tt.wantErr)
		}
	}
}

func TestResolveNode(t *testing.T) {
	known := []rt.NodeID{"ab12", "ab34", "cd56"}
	tests := []struct {
		prefix, want, wantErr string
	}{
		{"cd", "cd56", ""},
		{"AB1", "ab12", ""},
		{"ab34", "ab34", ""},
		{"ab", "", `ambiguous: it matches ab12, ab34`},
		{"ef", "", `no known node id starts with "ef"`},
		{" ", "", "empty node id"},
	}
	for _, tt := range tests {
		got, err := resolveNode(tt.prefix, known)
		switch {
		case tt.wantErr == "" && (err != nil || string(got) != tt.want):
			t.Errorf("resolveNode(%q): got %q, %v; want %q", tt.prefix, got, err, tt.want)
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("resolveNode(%q): got %q, %v; want an error containing %q", tt.prefix, got, err, tt.wantErr)
		}
	}
}

func TestParseInterleaved(t *testing.T) {
	tests := []struct {
		args     []string
		wantPos  []string
		wantZone string
		wantTags []string
	}{
		{[]string{"-z", "dc1", "id1"}, []string{"id1"}, "dc1", nil},
		{[]string{"id1", "-z", "dc1", "id2", "-t", "a,b", "-t", "c"}, []string{"id1", "id2"}, "dc1", []string{"a", "b", "c"}},
		{[]string{"--", "-z"}, []string{"-z"}, "", nil},
		{nil, nil, "", nil},
	}
	for _, tt := range tests {
		fs := newFlagSet("test")
		zone := fs.String("z", "", "")
		var tags listFlag
		fs.Var(&tags, "t", "")
		pos, err := parseInterleaved(fs, tt.args)
		if err != nil || !slices.Equal(pos, tt.wantPos) || *zone != tt.wantZone || !slices.Equal(tags, tt.wantTags) {
			t.Errorf("parse %v: got %v %q %v, %v; want %v %q %v", tt.args, pos, *zone, tags, err,
				tt.wantPos, tt.wantZone, tt.wantTags)
		}
	}
}

func TestParseRedundancy(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int
		ok   bool
	}{{"maximum", 0, true}, {"2", 2, true}, {"0", 0, false}, {"8", 0, false}, {"two", 0, false}} {
		got, err := parseRedundancy(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("parseRedundancy(%q): got %d, %v; want %d (ok %v)", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestAssignFlagsRole(t *testing.T) {
	base := layout.StorageRole("dc1", 1e9, "old")
	tests := []struct {
		name    string
		f       assignFlags
		base    *layout.Role
		want    layout.Role
		wantErr string
	}{
		{"new storage", assignFlags{zone: "dc2", capacity: "2G"}, nil, layout.StorageRole("dc2", 2e9), ""},
		{"new gateway", assignFlags{zone: "dc2", gateway: true}, nil, layout.GatewayRole("dc2"), ""},
		{"keep zone, new capacity", assignFlags{capacity: "5G"}, &base, layout.StorageRole("dc1", 5e9, "old"), ""},
		{"replace tags", assignFlags{tags: listFlag{"a"}, tagsSet: true}, &base, layout.StorageRole("dc1", 1e9, "a"), ""},
		{"storage to gateway", assignFlags{gateway: true}, &base, layout.Role{Zone: "dc1", Gateway: true, Tags: []string{"old"}}, ""},
		{"no zone", assignFlags{capacity: "1G"}, nil, layout.Role{}, "no zone"},
		{"no capacity", assignFlags{zone: "dc1"}, nil, layout.Role{}, "no capacity"},
		{"bad capacity", assignFlags{zone: "dc1", capacity: "lots"}, nil, layout.Role{}, "capacity \"lots\""},
	}
	for _, tt := range tests {
		got, err := tt.f.role(tt.base)
		switch {
		case tt.wantErr == "" && (err != nil || !got.Equal(tt.want)):
			t.Errorf("%s: got %v, %v; want %v", tt.name, got, err, tt.want)
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("%s: got %v, %v; want an error containing %q", tt.name, got, err, tt.wantErr)
		}
	}
}
