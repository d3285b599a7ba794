package checker

import (
	"strings"
	"testing"
)

func TestConvergence(t *testing.T) {
	root := func(s string) []byte { return []byte(s) }
	tests := []struct {
		name      string
		d         Digests
		wantParts []string
	}{
		{"empty", Digests{}, nil},
		{"equal", Digests{"n1": {"p0": root("x"), "p1": root("y")}, "n2": {"p0": root("x"), "p1": root("y")}}, nil},
		{"partial holders", Digests{"n1": {"p0": root("x")}, "n2": {"p0": root("x"), "p1": root("y")}, "n3": {"p1": root("y")}}, nil},
		{"diverged", Digests{"n1": {"p0": root("x"), "p1": root("y")}, "n2": {"p0": root("x"), "p1": root("z")}}, []string{"p1"}},
		{"empty versus nil root", Digests{"n1": {"p0": nil}, "n2": {"p0": root("")}}, nil},
		{"several diverged, sorted", Digests{"n1": {"p2": root("a"), "p1": root("a")}, "n2": {"p2": root("b"), "p1": root("b")}},
			[]string{"p1", "p2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Convergence(tt.d)
			var got []string
			for _, v := range res.Violations {
				got = append(got, v.Key)
			}
			if !equalStrings(got, tt.wantParts) {
				t.Errorf("got %v, want %v", got, tt.wantParts)
			}
			if len(got) > 0 && !strings.Contains(res.Info, "first differing partition "+got[0]) {
				t.Errorf("info %q does not name %s", res.Info, got[0])
			}
		})
	}
}

func TestConvergenceExplains(t *testing.T) {
	d := Digests{"n1": {"p": []byte{1}}, "n2": {"p": []byte{2}}, "n3": {"p": []byte{1}}}
	got := Convergence(d).Violations[0].Explain
	want := "2 distinct roots: n1,n3=01; n2=02"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
