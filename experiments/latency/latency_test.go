package latency

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gogarage/garage/experiments/endpoint"
	"github.com/gogarage/garage/experiments/lab"
)

// TestLatencyQuick runs the CI size in the simulator: every endpoint
// answered every request, a quorum read costs about one round trip, and
// the figures and tables are written.
func TestLatencyQuick(t *testing.T) {
	var log bytes.Buffer
	out := lab.Run(context.Background(), Experiment(), lab.Options{Quick: true, Seed: 1, Out: outDir(t),
		Log: &log, Progress: io.Discard})
	t.Log("\n" + log.String())
	if out.Err != nil {
		t.Fatal(out.Err)
	}
	for _, f := range []string{"latency.csv", "samples.csv", "goals.csv", "meta.json", "latency.png", "latency.svg", "latency-cdf.svg"} {
		if _, err := os.Stat(filepath.Join(out.Dir, f)); err != nil {
			t.Error(err)
		}
	}
	csv, _ := os.ReadFile(filepath.Join(out.Dir, "latency.csv"))
	for _, want := range []string{"endpoint,source,api,n,failed,mean_ms", "GetObject,gogarage (sim)", endpoint.Garage050, endpoint.MinIO} {
		if !strings.Contains(string(csv), want) {
			t.Errorf("latency.csv lacks %q", want)
		}
	}
	for _, g := range out.Goals {
		if g.Subject == string(endpoint.GetObject) && (g.Value < 80 || g.Value > 130) {
			t.Errorf("GetObject mean %v ms: want about one 100 ms round trip", g.Value)
		}
	}
	if !strings.Contains(log.String(), "figure ") || !strings.Contains(log.String(), "latency (sim)") {
		t.Errorf("log lacks the figure paths or the verdict")
	}
}

func outDir(t *testing.T) string {
	if d := os.Getenv("XP_OUT"); d != "" {
		return d
	}
	return t.TempDir()
}
