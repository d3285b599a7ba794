package guard

import "testing"

// TestAllowedAreasClosure checks the closure's laws on the design diagram:
// every area may import itself and its direct arrows, the relation is
// transitive, and node reaches layout only.
func TestAllowedAreasClosure(t *testing.T) {
	arrows := designArrows()
	allowed := allowedAreas(arrows)
	for a, direct := range arrows {
		if !allowed[a][a] {
			t.Errorf("%s may not import itself", a)
		}
		for _, b := range direct {
			if !allowed[a][b] {
				t.Errorf("%s -> %s is drawn but not allowed", a, b)
			}
		}
		for b := range allowed[a] {
			for c := range allowed[b] {
				if !allowed[a][c] {
					t.Errorf("not transitive: %s -> %s -> %s", a, b, c)
				}
			}
		}
	}
	if got, want := areaList(allowed["node"]), "layout, node"; got != want {
		t.Errorf("node may import %s, want %s", got, want)
	}
	if got, want := len(allowed["cmd"]), len(arrows)-1; got != want { // all but root
		t.Errorf("cmd may import %d areas, want %d", got, want)
	}
}
