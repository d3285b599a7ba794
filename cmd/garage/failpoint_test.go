package main

import (
	"strings"
	"testing"

	"github.com/gogarage/garage/node/fail"
)

// TestFailpointFromEnvironment arms the layout-apply failpoint once with
// GO_FAILPOINTS on a lone node: the first `layout apply` must fail with the
// injected error, the second with the layout's own (nothing is staged).
func TestFailpointFromEnvironment(t *testing.T) {
	p := newProc(t, t.TempDir(), "fp", testSecret)
	p.env = []string{"GO_FAILPOINTS=" + fail.Prefix + fail.LayoutApply + `=1*return("error:disk on fire")`}
	p.start()
	r := p.run("layout", "apply", "--version", "1")
	if r.code != 1 || !strings.Contains(r.stderr, "disk on fire") {
		t.Errorf("apply with the failpoint armed: exit %d, stderr %q; want 1 and the injected error", r.code, r.stderr)
	}
	r = p.run("layout", "apply", "--version", "1")
	if r.code != 1 || strings.Contains(r.stderr, "disk on fire") {
		t.Errorf("apply after the failpoint: exit %d, stderr %q; want the layout's own error", r.code, r.stderr)
	}
}
