package main

import (
	"strings"
	"testing"

	"github.com/gogarage/garage/node/fail"
)

// TestFailpointFromEnvironment arms the layout-apply failpoint once with
// GO_FAILPOINTS on a lone node with a staged role: the first `layout apply`
// must fail with the injected error, the second (of a wrong version) with
// the layout's own.
func TestFailpointFromEnvironment(t *testing.T) {
	p := newProc(t, t.TempDir(), "fp", testSecret)
	p.env = []string{"GO_FAILPOINTS=" + fail.Prefix + fail.LayoutApply + `=1*return("error:disk on fire")`}
	p.start()
	p.must("layout", "assign", "-z", "dc1", "-c", "1G", p.id[:8])
	r := p.run("layout", "apply", "--version", "1")
	if r.code != 1 || !strings.Contains(r.stderr, "disk on fire") {
		t.Errorf("apply with the failpoint armed: exit %d, stderr %q; want 1 and the injected error", r.code, r.stderr)
	}
	r = p.run("layout", "apply", "--version", "2")
	if r.code != 1 || strings.Contains(r.stderr, "disk on fire") {
		t.Errorf("apply after the failpoint: exit %d, stderr %q; want the layout's own error", r.code, r.stderr)
	}
}
