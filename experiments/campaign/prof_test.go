package campaign

import "testing"

func TestProfLayout(t *testing.T) {
	for s := uint64(1); s <= 3; s++ {
		res, err := Run(Gen(s, WorkloadRegister, "layout", Options{Fsync: true}))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("seed %d steps %d virtual %v wall %v events %d", s, res.Steps, res.Virtual, res.Wall, res.Events)
	}
}
