package sim

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/node/rt/rttest"
)

// plantedEnv names the bug a child test process plants in its ports.
const plantedEnv = "SIM_PLANTED_BUG"

// TestPlantedChild runs the world suites on ports with a planted bug; it
// only does something when started by TestPlantedDivergencesFail.
func TestPlantedChild(t *testing.T) {
	bug := os.Getenv(plantedEnv)
	if bug == "" {
		t.Skip("runs only as a child of TestPlantedDivergencesFail")
	}
	runWorldSuites(t, func(t *testing.T, n int) *rttest.Cluster {
		return newConformCluster(t, n, func(_ *World, env rt.Env) rt.Env { return rttest.Plant(env, bug) })
	})
}

// runWorldSuites runs the four world suites as subtests named after them.
func runWorldSuites(t *testing.T, newCluster rttest.NewCluster) {
	t.Run("Net", func(t *testing.T) { rttest.TestNet(t, newCluster) })
	t.Run("Tasks", func(t *testing.T) { rttest.TestTasks(t, newCluster) })
	t.Run("Clock", func(t *testing.T) { rttest.TestClock(t, newCluster) })
	t.Run("Starter", func(t *testing.T) { rttest.TestStarter(t, newCluster) })
}

// TestPlantedDivergencesFail checks that the world suites can fail: each
// planted divergence must fail the case that guards the rule it breaks,
// when the simulator runs the suites.
func TestPlantedDivergencesFail(t *testing.T) {
	for _, p := range rttest.PlantedBugs() {
		t.Run(p.Bug, func(t *testing.T) {
			out, err := runPlanted(p, plantedEnv)
			if err == nil {
				t.Fatalf("case %s/%s passed with bug %s:\n%s", p.Suite, p.Case, p.Bug, out)
			}
			if want := "--- FAIL: TestPlantedChild/" + p.Suite + "/" + p.Case + " "; !strings.Contains(out, want) {
				t.Errorf("bug %s: no %q in output:\n%s", p.Bug, want, out)
			}
		})
	}
}

// runPlanted runs the case guarding p in a child process with the bug
// planted, named in the environment variable env.
func runPlanted(p rttest.PlantedBug, env string) (string, error) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestPlantedChild$/^"+p.Suite+"$/^"+p.Case+"$", "-test.v")
	cmd.Env = append(os.Environ(), env+"="+p.Bug)
	out, err := cmd.CombinedOutput()
	return string(out), err
}
