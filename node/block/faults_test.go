package block

import (
	"bytes"
	"context"
	"flag"
	"testing"
	"time"

	"github.com/gogarage/garage/node/fail"
	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/sim"
)

var long = flag.Bool("long", false, "run the long tests (the 100 MiB dedup figure)")

// TestStorageFaultsAreRepaired stores blocks while one node fails block
// writes (resync fills them in) and another sees bit flips on reads, then
// a third loses files: every read succeeds, and once the faults stop,
// resync and a scrub leave every node of each partition with a good copy.
func TestStorageFaultsAreRepaired(t *testing.T) {
	h := newHarness(t, 21, 5, nil)
	h.start(5)
	h.w.Arm("n2", fail.BlockFsyncBefore, sim.FaultSpec{Prob: 0.5, Value: fail.Err("enospc")})
	h.w.Arm("n3", fail.BlockCorrupt, sim.FaultSpec{Prob: 0.3, Value: true})
	hashes, data := h.stored(30, 10_000)
	h.run(time.Minute) // resync fills in the writes that failed
	for i, name := range h.filesOf("n4") {
		if i%3 == 0 {
			_ = h.w.Disk("n4").Files().Remove(name)
		}
	}
	for i, hash := range hashes {
		for _, id := range h.ids {
			if got, err := h.get(id, hash); err != nil || !bytes.Equal(got, data[i]) {
				t.Errorf("get block %d from %s under faults: %v", i, id, err)
			}
		}
	}
	h.w.Disarm("n2", fail.BlockFsyncBefore)
	h.w.Disarm("n3", fail.BlockCorrupt)
	h.do(func(context.Context) {
		for _, id := range h.ids {
			_ = h.ms[id].ScrubStart()
		}
	})
	h.eventually("every replica good", 30*time.Minute, func() bool {
		for _, hash := range hashes {
			for _, id := range h.placement(hash) {
				if r, err := h.ms[id].st.read(context.Background(), hash, false); err != nil || r.corrupt > 0 {
					return false
				}
			}
		}
		return true
	})
	if n := h.w.FaultHits("n2", fail.BlockFsyncBefore) + h.w.FaultHits("n3", fail.BlockCorrupt); n == 0 {
		t.Error("no failpoint fired")
	}
}

// TestSameSeedSameRun replays a scenario with repairs and a layout change
// and compares the trace hashes.
func TestSameSeedSameRun(t *testing.T) {
	run := func(seed uint64) uint64 {
		h := newHarness(t, seed, 4, nil)
		h.start(3)
		hashes, _ := h.stored(10, 5_000)
		h.w.Disk("n2").Corrupt(h.fileOf("n2", hashes[0]), 3)
		_, _ = h.get("n2", hashes[0])
		h.assign(nil, "n4")
		h.run(time.Minute)
		return h.w.TraceHash()
	}
	a, b, c := run(5), run(5), run(6)
	if a != b {
		t.Errorf("seed 5 ran twice: trace hashes %x and %x", a, b)
	}
	if a == c {
		t.Errorf("seeds 5 and 6 gave the same trace hash %x", a)
	}
}

// TestDedup100MiB stores the same 100 MiB (100 blocks of 1 MiB) twice on
// three nodes and reports the space per replica (-long only).
func TestDedup100MiB(t *testing.T) {
	if !*long {
		t.Skip("-long")
	}
	const n = 100
	h := newHarness(t, 22, 3, func(c *Config) { c.BlockSize = DefaultBlockSize })
	h.start(3)
	for range 2 {
		for i := range n {
			h.put("n1", randomData(i, DefaultBlockSize))
		}
		h.run(10 * time.Second)
		u := h.usage()
		t.Logf("after storing %d MiB: per replica %+v", n, u)
	}
	for _, id := range h.ids {
		if u := h.usage()[id]; u.Files != n || u.Bytes != n*DefaultBlockSize {
			t.Errorf("%s: %+v, want %d files of 1 MiB", id, u, n)
		}
	}
}

// TestBadMessagesAreRefused sends malformed and lying block messages to a
// node: each gets an error, nothing is stored, nothing panics.
func TestBadMessagesAreRefused(t *testing.T) {
	h := newHarness(t, 25, 3, nil)
	h.start(3)
	good := blockData(1, 5_000)
	lie := encodePut(Sum([]byte("another block")), good, false)
	msgs := map[string]struct {
		ep  string
		req []byte
	}{
		"empty put":      {EndpointPut, nil},
		"short put":      {EndpointPut, []byte{0, 1, 2}},
		"lying put":      {EndpointPut, lie},
		"bad zstd put":   {EndpointPut, encodePut(Sum(good), good, true)},
		"short get":      {EndpointGet, []byte{1, 2, 3}},
		"short need":     {EndpointNeed, nil},
		"get of nothing": {EndpointGet, make([]byte, 32)},
	}
	for _, name := range []string{"empty put", "short put", "lying put", "bad zstd put", "short get", "short need", "get of nothing"} {
		msg := msgs[name]
		var err error
		h.do(func(ctx context.Context) {
			_, err = h.ms["n1"].env.Net.Call(ctx, "n2", msg.ep, msg.req, rt.CallOpts{Timeout: time.Second})
		})
		if err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if files := h.filesOf("n2"); len(files) != 0 {
		t.Errorf("n2 stored %v", files)
	}
}
