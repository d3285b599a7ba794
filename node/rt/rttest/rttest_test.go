package rttest

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/gogarage/garage/node/rt"
)

func TestKVOnMemory(t *testing.T) {
	TestKV(t, func(*testing.T) rt.KV { return &memKV{} })
}

func TestFilesOnMemory(t *testing.T) {
	TestFiles(t, func(*testing.T) rt.Files { return &memFiles{} })
}

// brokenEnv names the deliberate bug a child test process runs the suites
// against.
const brokenEnv = "RTTEST_BROKEN"

// TestBrokenChild runs a suite against a deliberately broken store; it only
// does something when started by TestSuitesCatchBrokenStores.
func TestBrokenChild(t *testing.T) {
	kind, bug, _ := strings.Cut(os.Getenv(brokenEnv), ":")
	switch kind {
	case "":
		t.Skip("runs only as a child of TestSuitesCatchBrokenStores")
	case "kv":
		TestKV(t, func(*testing.T) rt.KV { return &memKV{broken: bug} })
	case "files":
		TestFiles(t, func(*testing.T) rt.Files { return &memFiles{broken: bug} })
	}
}

// TestSuitesCatchBrokenStores checks that the suites can fail: each broken
// store must fail the subtest that guards the rule it breaks.
func TestSuitesCatchBrokenStores(t *testing.T) {
	cases := []struct{ bug, wantFail string }{
		{"kv:alias-put", "PutCopiesInput"},
		{"kv:no-rollback", "UpdateErrorRollsBack"},
		{"kv:no-rollback", "ViewDuringUpdateSeesCommitted"},
		{"kv:empty-as-nil", "EmptyValueVsMissing"},
		{"kv:shared-trees", "TreesIsolated"},
		{"kv:end-inclusive", "ScanBounds"},
		{"kv:reverse-unbounded", "ScanBounds"},
		{"kv:ignore-stop", "ScanEarlyStop"},
		{"files:plain-not-found", "ReadMissingIsNotExist"},
		{"files:alias-read", "ReadReturnsCopy"},
		{"files:remove-missing-fails", "RemoveMissing"},
		{"files:walk-order", "ListSortsFullNames"},
		{"files:component-prefix", "ListByPrefixSorted"},
		{"files:stat-dir", "StatMissingIsNotExist"},
		{"files:page-inclusive", "ListPageAfter"},
		{"files:page-inclusive", "ListPageEqualsList"},
		{"files:walk-order", "ListPageAfter"},
	}
	for _, c := range cases {
		t.Run(strings.ReplaceAll(c.bug, ":", "/"), func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestBrokenChild$", "-test.v")
			cmd.Env = append(os.Environ(), brokenEnv+"="+c.bug)
			out, err := cmd.CombinedOutput()
			if err == nil {
				t.Fatalf("suite passed a store with bug %s", c.bug)
			}
			if want := "--- FAIL: TestBrokenChild/" + c.wantFail + " "; !strings.Contains(string(out), want) {
				t.Errorf("bug %s: no %q in output:\n%s", c.bug, want, out)
			}
		})
	}
}
