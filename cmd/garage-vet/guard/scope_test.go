package guard

import "testing"

func TestNodeScopeDefault(t *testing.T) {
	s := nodeScope()
	tests := []struct {
		path string
		want bool
	}{
		{Module + "/node", true},
		{Module + "/node/rt", true},
		{Module + "/node/table", true},
		{Module + "/node/table/merkle", true},
		{Module + "/node/fail", true},
		{Module + "/node/host", false},
		{Module + "/node/host/secconn", false},
		{Module + "/node/daemon", false},
		{Module + "/node/hostile", true},
		{Module + "/nodes", false},
		{Module + "/sim", false},
		{Module, false},
	}
	for _, tt := range tests {
		if got := s.covers(tt.path); got != tt.want {
			t.Errorf("covers(%s) = %v, want %v", tt.path, got, tt.want)
		}
	}
}

func TestPatternsSet(t *testing.T) {
	var ps patterns
	if err := ps.Set(" a/b/... , c ,,"); err != nil {
		t.Fatal(err)
	}
	if got, want := ps.String(), "a/b/...,c"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	for path, want := range map[string]bool{"a/b": true, "a/b/c": true, "a/bc": false, "c": true, "c/d": false, "a": false} {
		if got := ps.match(path); got != want {
			t.Errorf("match(%q) = %v, want %v", path, got, want)
		}
	}
	if err := ps.Set("a/.../b"); err == nil {
		t.Error(`Set("a/.../b") succeeded, want an error`)
	}
	if err := ps.Set(""); err != nil || len(ps) != 0 {
		t.Errorf(`Set("") = %v, %v; want no patterns`, ps, err)
	}
}
