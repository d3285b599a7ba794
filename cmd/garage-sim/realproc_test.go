package main

import (
	"strings"
	"testing"
)

// TestRealclusterBadInput checks the flags realcluster refuses before it
// builds or starts anything.
func TestRealclusterBadInput(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"realcluster", "--rf", "9"}, "--rf between 1 and --nodes"},
		{[]string{"realcluster", "--mode", "yolo"}, `unknown consistency mode "yolo"`},
		{[]string{"realcluster", "--jitter", "1s"}, "--jitter at most 2×--rtt"},
		{[]string{"realcluster", "--op-timeout", "0s"}, "--op-timeout must be positive"},
		{[]string{"realcluster", "extra"}, `unexpected argument "extra"`},
	} {
		code, _, errOut := runCmd(t, tc.args...)
		if code != 2 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, errOut, tc.want)
		}
	}
}
