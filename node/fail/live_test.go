package fail_test

import (
	"errors"
	"os"
	"os/exec"
	"reflect"
	"strings"
	"testing"

	"github.com/pingcap/failpoint"

	"github.com/gogarage/garage/node/fail"
)

func TestLiveReturnFires(t *testing.T) {
	l := fail.RealWithPrefix("test/live-return/")
	if err := failpoint.Enable("test/live-return/"+fail.BlockRead, `return("x")`); err != nil {
		t.Fatal(err)
	}
	v, ok := l.Eval(fail.BlockRead)
	if !ok || v != "x" {
		t.Fatalf("Eval = %v, %v; want x, true", v, ok)
	}
	if err := l.Disable(fail.BlockRead); err != nil {
		t.Fatal(err)
	}
	if v, ok := l.Eval(fail.BlockRead); ok {
		t.Fatalf("Eval after Disable fired %v", v)
	}
	if _, ok := l.Eval(fail.MerkleSync); ok {
		t.Fatal("a never-enabled point fired")
	}
}

func TestLiveCountedErrorAndStats(t *testing.T) {
	l := fail.RealWithPrefix("test/live-count/")
	if err := l.Enable(fail.MetaCommitBefore, `2*return("error:disk full")`); err != nil {
		t.Fatal(err)
	}
	defer l.Disable(fail.MetaCommitBefore)
	var hits int
	for range 5 {
		if v, ok := l.Eval(fail.MetaCommitBefore); ok {
			hits++
			if err, isErr := v.(error); !isErr || !errors.Is(err, fail.ErrInjected) {
				t.Fatalf("fired %#v, want an injected error", v)
			}
		}
	}
	if hits != 2 {
		t.Fatalf("2*return fired %d times in 5 evaluations, want 2", hits)
	}
	l.Eval(fail.TableSync)
	got := l.Stats()
	want := []fail.Stat{
		{Name: fail.MetaCommitBefore, Armed: true, Evals: 5, Hits: 2},
		{Name: fail.TableSync, Evals: 1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Stats =\n%+v\nwant\n%+v", got, want)
	}
}

func TestLiveEnableRejectsBadTerms(t *testing.T) {
	if err := fail.RealWithPrefix("test/bad/").Enable(fail.BlockRead, "nonsense("); err == nil {
		t.Fatal("Enable with malformed terms succeeded")
	}
}

// TestLiveGoFailpointsEnv runs this test binary again with GO_FAILPOINTS
// set, and checks the child sees the point armed through Real().
func TestLiveGoFailpointsEnv(t *testing.T) {
	if os.Getenv("FAIL_TEST_CHILD") == "1" {
		v, ok := fail.Real().Eval(fail.RPCReplyBefore)
		if !ok || v != (fail.Crash{}) {
			t.Fatalf("child: Eval = %#v, %v; want Crash{}, true", v, ok)
		}
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestLiveGoFailpointsEnv$", "-test.v")
	cmd.Env = append(os.Environ(), "FAIL_TEST_CHILD=1",
		"GO_FAILPOINTS="+fail.Real().Path(fail.RPCReplyBefore)+`=return("crash")`)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child failed: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "--- PASS: TestLiveGoFailpointsEnv") {
		t.Fatalf("child did not run the check:\n%s", out)
	}
}
