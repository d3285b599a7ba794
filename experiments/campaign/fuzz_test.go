package campaign

import (
	"testing"
)

// FuzzScenario turns fuzz bytes into a whole scenario through gofuzz —
// topology, workload and its parameters, nemesis class and schedule, seed —
// runs it in the simulator with the real code and fails on any gating
// violation, panic or unfinished phase. The seed corpus is in
// testdata/fuzz/FuzzScenario; run it longer with
// go test ./experiments/campaign -run '^$' -fuzz FuzzScenario -fuzztime 60s.
func FuzzScenario(f *testing.F) {
	f.Add([]byte("garage"))
	f.Add([]byte{0xff, 0x00, 0x13, 0x37, 0x42, 0x99, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08})
	classes := mainClasses()
	f.Fuzz(func(t *testing.T, data []byte) {
		sc := Fuzzed(data, classes)
		res, err := Run(sc)
		if err != nil {
			t.Fatalf("%s on %d nodes, %d zones, rtt %v, seed %d: %v", sc.Workload, sc.Cluster.Nodes, sc.Cluster.Zones, sc.Cluster.RTT, sc.Seed, err)
		}
		if res.Failed() {
			t.Fatalf("%s/%s on %d nodes, %d zones, rtt %v, seed %d: %s", sc.Workload, sc.Nemesis,
				sc.Cluster.Nodes, sc.Cluster.Zones, sc.Cluster.RTT, sc.Seed, RunOutcome{Result: res}.Summary())
		}
	})
}
