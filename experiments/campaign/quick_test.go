package campaign

import (
	"strings"
	"testing"
)

func TestQuickAll(t *testing.T) {
	c := Campaign{Seeds: []uint64{1, 2, 3, 4, 5, 6}, Workloads: Workloads(),
		Nemeses: []string{"none", "partition", "zone", "crash", "pause", "clock", "net", "disk", "layout", "all"},
		Options: Options{Fsync: true}, Parallel: 2}
	outs := c.Run(func(o RunOutcome) {
		if o.Failed() {
			t.Errorf("%s: %s\n  replay: %s", o.Name(), o.Summary(), o.Replay(c.Options))
		}
	})
	var b strings.Builder
	SummariseCampaign(outs).Print(&b)
	t.Logf("\n%s", b.String())
}
