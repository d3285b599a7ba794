package sim

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/gogarage/garage/node/rt"
)

func TestLogLinesCarryVirtualTimeAndNode(t *testing.T) {
	var buf bytes.Buffer
	w := New(Config{Seed: 1, Log: &buf})
	defer w.Close()
	w.AddNode("n1", "z1", func(env rt.Env) {
		env.Tasks.Spawn("talker", func(ctx context.Context) {
			_ = env.Clock.Sleep(ctx, 1500*time.Millisecond)
			env.Log.With("peer", "n2").Info("hello", "n", 3)
			env.Log.Debug("hidden")
		})
	})
	w.At(2*time.Second, "nemesis", func() { w.Logf("crash %s", "n1") })
	must(t, w.Run())
	want := "[     1.500000s] n1    INFO hello peer=n2 n=3\n" +
		"[     2.000000s] world INFO crash n1\n"
	if got := buf.String(); got != want {
		t.Errorf("log =\n%s\nwant\n%s", got, want)
	}
}
