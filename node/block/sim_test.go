package block

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/gogarage/garage/node/rt"
)

func TestPutGetAcrossNodes(t *testing.T) {
	h := newHarness(t, 1, 5, nil)
	h.start(5)
	var hashes []Hash
	for i := range 10 {
		hashes = append(hashes, h.put(h.ids[i%5], blockData(i, 40_000+i)))
	}
	h.run(5 * time.Second) // background writes
	for i, hash := range hashes {
		if got, want := h.holders(hash), h.placement(hash); !slices.Equal(got, want) || len(want) != 3 {
			t.Errorf("block %d on %v, want its partition's 3 nodes %v", i, got, want)
		}
		for _, id := range h.ids {
			data, err := h.get(id, hash)
			if err != nil || !bytes.Equal(data, blockData(i, 40_000+i)) {
				t.Errorf("get block %d from %s: %d bytes, %v", i, id, len(data), err)
			}
		}
	}
}

func TestGetMissingBlock(t *testing.T) {
	h := newHarness(t, 2, 3, nil)
	h.start(3)
	_, err := h.get("n1", Sum([]byte("never stored")))
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("get of a block never stored: %v, want ErrNotFound", err)
	}
}

func TestDedupStoresOneCopyPerReplica(t *testing.T) {
	h := newHarness(t, 3, 3, nil)
	h.start(3)
	var data [][]byte
	for i := range 16 {
		data = append(data, blockData(i, 64<<10))
	}
	for _, d := range data {
		h.put("n1", d)
	}
	h.run(5 * time.Second)
	once := h.usage()
	for _, d := range data {
		h.put("n2", d)
	}
	h.run(5 * time.Second)
	twice := h.usage()
	for _, id := range h.ids {
		if once[id] != twice[id] || once[id].Files != 16 {
			t.Errorf("%s: %+v after one copy, %+v after two, want 16 files once", id, once[id], twice[id])
		}
	}
	t.Logf("1 MiB stored twice: per replica %+v", twice["n1"])
}

func (h *harness) usage() map[rt.NodeID]Usage {
	out := map[rt.NodeID]Usage{}
	for _, id := range h.ids {
		u, err := h.ms[id].Usage()
		if err != nil {
			h.t.Fatal(err)
		}
		out[id] = u
	}
	return out
}

func TestReadMovesOnFromDownNode(t *testing.T) {
	h := newHarness(t, 4, 5, nil)
	h.start(5)
	data := blockData(7, 50_000)
	hash := h.put("n1", data)
	h.run(5 * time.Second)
	reader := h.nonHolder(hash)
	first := h.ms[reader].readOrder(hash)[0]
	h.w.Crash(first)
	start := h.w.Now()
	got, err := h.get(reader, hash)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("get with %s down: %v", first, err)
	}
	took := h.w.Now() - start
	if took < h.cfg.ReadTimeout {
		t.Errorf("read took %v: the first choice answered?", took)
	}
	// Once the cluster sees it down, reads skip it at once.
	h.run(10 * time.Second)
	start = h.w.Now()
	if got, err = h.get(reader, hash); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("second get with %s down: %v", first, err)
	}
	if again := h.w.Now() - start; again >= h.cfg.ReadTimeout {
		t.Errorf("read took %v with %s known down, want one round trip", again, first)
	}
	t.Logf("read from %s with its first choice %s down: %v, then %v once known down", reader, first, took, h.w.Now()-start)
}

// nonHolder returns a node outside hash's placement.
func (h *harness) nonHolder(hash Hash) rt.NodeID {
	for _, id := range h.ids {
		if !slices.Contains(h.placement(hash), id) {
			return id
		}
	}
	h.t.Fatal("every node holds the block")
	return ""
}

// stored puts n blocks from n1 with a reference each, and returns them.
func (h *harness) stored(n, size int) ([]Hash, [][]byte) {
	var hashes []Hash
	var data [][]byte
	for i := range n {
		d := blockData(100+i, size)
		hash := h.put("n1", d)
		h.ref(hash, 1)
		hashes, data = append(hashes, hash), append(data, d)
	}
	h.run(5 * time.Second)
	return hashes, data
}

func TestCorruptFileReadSucceedsAndIsRepaired(t *testing.T) {
	h := newHarness(t, 5, 3, nil)
	h.start(3)
	hashes, data := h.stored(1, 50_000)
	hash := hashes[0]
	name := h.fileOf("n2", hash)
	h.w.Disk("n2").Corrupt(name, 1234)
	got, err := h.get("n2", hash)
	if err != nil || !bytes.Equal(got, data[0]) {
		t.Fatalf("get of a corrupt local block: %v", err)
	}
	if _, err := h.w.Disk("n2").Files().Stat(name + corruptSuffix); err != nil {
		t.Errorf("corrupt file not set aside: %v", err)
	}
	h.waitRepaired("n2", hash)
	if st := h.ms["n2"].Workers().Stats; st.Corrupt != 1 || st.Fetched != 1 {
		t.Errorf("stats %+v, want 1 corrupt and 1 fetched", st)
	}
}

// fileOf returns the name of node id's file of hash.
func (h *harness) fileOf(id rt.NodeID, hash Hash) string {
	for _, c := range []bool{true, false} {
		if _, err := h.w.Disk(id).Files().Stat(fileName(hash, c)); err == nil {
			return fileName(hash, c)
		}
	}
	h.t.Fatalf("%s has no file of %s", id, hash)
	return ""
}

// waitRepaired runs the world until node id holds a verified copy of hash.
func (h *harness) waitRepaired(id rt.NodeID, hash Hash) {
	h.t.Helper()
	h.eventually("repaired", 5*time.Minute, func() bool {
		r, err := h.ms[id].st.read(context.Background(), hash, false)
		return err == nil && r.corrupt == 0
	})
}

func TestTruncatedFileIsCorrupt(t *testing.T) {
	h := newHarness(t, 6, 3, nil)
	h.start(3)
	hashes, data := h.stored(1, 50_000)
	name := h.fileOf("n3", hashes[0])
	files := h.w.Disk("n3").Files()
	content, _ := files.Read(name)
	if err := files.Write(name, content[:len(content)/2], true); err != nil {
		t.Fatal(err)
	}
	var r readResult
	var err error
	h.do(func(ctx context.Context) { r, err = h.ms["n3"].st.read(ctx, hashes[0], false) })
	if !errors.Is(err, ErrCorrupt) || r.corrupt != 1 {
		t.Fatalf("read of a truncated file: %v (%d corrupt), want ErrCorrupt", err, r.corrupt)
	}
	h.ms["n3"].enqueueNow(hashes[0], "test")
	h.waitRepaired("n3", hashes[0])
	if got, err := h.get("n3", hashes[0]); err != nil || !bytes.Equal(got, data[0]) {
		t.Fatalf("get after repair: %v", err)
	}
}

func TestWrongContentUnderHashIsCorrupt(t *testing.T) {
	h := newHarness(t, 7, 3, nil)
	h.start(3)
	hashes, data := h.stored(2, 30_000)
	// n1's file of block 0 gets the stored form of block 1: a valid file
	// whose content hashes to another name.
	files := h.w.Disk("n1").Files()
	other, _ := files.Read(h.fileOf("n1", hashes[1]))
	name := h.fileOf("n1", hashes[0])
	if err := files.Write(name, other, true); err != nil {
		t.Fatal(err)
	}
	got, err := h.get("n1", hashes[0])
	if err != nil || !bytes.Equal(got, data[0]) {
		t.Fatalf("get: %v", err)
	}
	h.waitRepaired("n1", hashes[0])
	if got, err := h.get("n1", hashes[1]); err != nil || !bytes.Equal(got, data[1]) {
		t.Fatalf("the other block suffered: %v", err)
	}
}

func TestMissingFileIsFetched(t *testing.T) {
	h := newHarness(t, 8, 3, nil)
	h.start(3)
	hashes, data := h.stored(1, 50_000)
	if err := h.w.Disk("n2").Files().Remove(h.fileOf("n2", hashes[0])); err != nil {
		t.Fatal(err)
	}
	if got, err := h.get("n2", hashes[0]); err != nil || !bytes.Equal(got, data[0]) {
		t.Fatalf("get of a block whose local file is gone: %v", err)
	}
	h.waitRepaired("n2", hashes[0])
}

func TestRefToMissingBlockFailsCleanly(t *testing.T) {
	h := newHarness(t, 9, 3, nil)
	h.start(3)
	ghost := Sum([]byte("referenced, never stored"))
	h.ref(ghost, 1)
	h.run(2 * time.Minute)
	errs, err := h.ms["n1"].Errors()
	if err != nil || len(errs) != 1 || errs[0].Hash != ghost || errs[0].Count < 2 {
		t.Fatalf("errors %+v, %v: want the ghost block failing with backoff", errs, err)
	}
	if d := errs[0].NextTry.Sub(errs[0].LastTry); d <= h.cfg.RetryDelay {
		t.Errorf("next try %v after the last, want more than %v after %d failures", d, h.cfg.RetryDelay, errs[0].Count)
	}
	_, err = h.get("n1", ghost)
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("get of the ghost: %v, want ErrNotFound", err)
	}
	in, err := h.ms["n1"].Info(ghost)
	if err != nil || in.RefCount != 1 || in.Error == nil || in.QueuedAt.IsZero() || len(in.Files) != 0 || !in.Holds {
		t.Errorf("info of the ghost: %+v, %v", in, err)
	}
	if n, err := h.ms["n1"].QueueLen(); err != nil || n != 1 {
		t.Errorf("queue length %d, %v; want 1", n, err)
	}
	// Once stored, the next try succeeds and the error goes.
	h.put("n1", []byte("referenced, never stored"))
	if _, err := h.ms["n1"].RetryNow(); err != nil {
		t.Fatal(err)
	}
	h.until("error cleared", time.Minute, func() bool {
		es, _ := h.ms["n1"].Errors()
		return len(es) == 0
	})
}

func TestGCDeletesAfterDelayOnly(t *testing.T) {
	h := newHarness(t, 10, 3, nil)
	h.start(3)
	hashes, _ := h.stored(4, 20_000)
	for _, hash := range hashes {
		h.ref(hash, -1)
	}
	h.run(h.cfg.GCDelay - 5*time.Second)
	for _, hash := range hashes {
		if got := h.holders(hash); len(got) != 3 {
			t.Fatalf("block %s held by %v before the GC delay, want 3 nodes", hash, got)
		}
	}
	h.until("collected", time.Minute, func() bool {
		for _, id := range h.ids {
			if u, _ := h.ms[id].Usage(); u.Files != 0 {
				return false
			}
		}
		return true
	})
	for _, id := range h.ids {
		if n, _ := h.ms[id].countTree(treeRC); n != 0 {
			t.Errorf("%s keeps %d reference count entries", id, n)
		}
	}
}

func TestRefComingBackCancelsGC(t *testing.T) {
	h := newHarness(t, 11, 3, nil)
	h.start(3)
	hashes, _ := h.stored(1, 20_000)
	h.ref(hashes[0], -1)
	h.run(h.cfg.GCDelay / 2)
	h.ref(hashes[0], 1)
	h.run(2 * h.cfg.GCDelay)
	if got := h.holders(hashes[0]); len(got) != 3 {
		t.Fatalf("block held by %v, want 3 nodes", got)
	}
}

func TestRestartResumesQueue(t *testing.T) {
	h := newHarness(t, 12, 3, nil)
	h.start(3)
	hashes, _ := h.stored(3, 20_000)
	for _, hash := range hashes {
		h.ref(hash, -1)
	}
	h.crash("n2")
	h.run(h.cfg.GCDelay / 2)
	h.restart("n2")
	h.until("collected on the restarted node", 5*time.Minute, func() bool {
		u, err := h.ms["n2"].Usage()
		return err == nil && u.Files == 0
	})
}

func TestLayoutChangeMovesBlocks(t *testing.T) {
	h := newHarness(t, 13, 6, nil)
	h.start(3)
	hashes, data := h.stored(40, 8_000)
	before := map[Hash][]rt.NodeID{}
	for _, hash := range hashes {
		before[hash] = h.placement(hash)
	}
	// n1 leaves, n4…n6 join: the block_ref table's sync gives the new
	// nodes their references before the old version retires.
	h.do(func(context.Context) {
		if err := h.cs["n1"].StageRemove("n1"); err != nil {
			t.Error(err)
		}
	})
	h.assign(func() {
		for _, hash := range hashes {
			h.refNew(hash, before[hash])
		}
	}, "n4", "n5", "n6")
	h.eventually("blocks where the new layout puts them", 10*time.Minute, func() bool {
		for _, hash := range hashes {
			if !slices.Equal(h.holders(hash), h.placement(hash)) {
				return false
			}
		}
		return true
	})
	moved := 0
	for _, hash := range hashes {
		if !slices.Equal(before[hash], h.placement(hash)) {
			moved++
		}
	}
	if moved == 0 {
		t.Fatal("the layout change moved no block")
	}
	for i, hash := range hashes {
		if got, err := h.get("n2", hash); err != nil || !bytes.Equal(got, data[i]) {
			t.Errorf("block %d after the change: %v", i, err)
		}
	}
	var off, fetched uint64
	for _, m := range h.ms {
		off, fetched = off+m.Workers().Stats.Offloaded, fetched+m.Workers().Stats.Fetched
	}
	t.Logf("%d of %d blocks changed nodes; %d offloads, %d fetches", moved, len(hashes), off, fetched)
}

// refNew adds a reference to hash on the nodes of its placement that were
// not in old (what the block_ref table's anti-entropy does).
func (h *harness) refNew(hash Hash, old []rt.NodeID) {
	h.do(func(context.Context) {
		for _, id := range h.placement(hash) {
			if slices.Contains(old, id) {
				continue
			}
			m := h.ms[id]
			if err := m.env.KV.Update(func(tx rt.Tx) error { return m.IncRef(tx, hash) }); err != nil {
				h.t.Error(err)
			}
		}
	})
}

func TestWipedDataDirIsRestored(t *testing.T) {
	for _, tc := range []struct{ workers, tranquility int }{{1, DefaultResyncTranquility}, {4, -1}} {
		t.Run(fmt.Sprintf("workers=%d,tranquility=%d", tc.workers, max(tc.tranquility, 0)), func(t *testing.T) {
			testWipedDataDir(t, tc.workers, tc.tranquility)
		})
	}
}

func testWipedDataDir(t *testing.T, workers, tranquility int) {
	const n, size = 256, 64 << 10
	h := newHarness(t, 14, 3, func(c *Config) { c.ResyncWorkers, c.ResyncTranquility = workers, tranquility })
	h.start(3)
	var hashes []Hash
	for i := range n {
		hash := h.put("n1", randomData(i, size))
		h.ref(hash, 1)
		hashes = append(hashes, hash)
	}
	h.run(5 * time.Second)
	h.crash("n2")
	h.wipe("n2")
	start := h.w.Now()
	h.restart("n2")
	h.until("every block back on n2", 30*time.Minute, func() bool {
		u, err := h.ms["n2"].Usage()
		return err == nil && u.Files == n
	})
	took := h.w.Now() - start
	for _, hash := range hashes {
		if _, err := h.ms["n2"].st.read(context.Background(), hash, false); err != nil {
			t.Errorf("block %s on n2: %v", hash, err)
		}
	}
	st := h.ms["n2"].Workers().Stats
	if st.RestoreQueued != n || st.Fetched != n {
		t.Errorf("stats %+v, want %d queued and fetched", st, n)
	}
	t.Logf("wiped data dir: %d blocks (%d MiB) restored in %v virtual (1 Gbit/s links, 3 zones)", n, n*size>>20, took)
}

func TestScrubRepairsSilentCorruption(t *testing.T) {
	h := newHarness(t, 15, 3, nil)
	h.start(3)
	hashes, _ := h.stored(20, 10_000)
	for i, hash := range hashes[:5] {
		h.w.Disk("n3").Corrupt(h.fileOf("n3", hash), 100+i)
	}
	h.do(func(context.Context) {
		if err := h.ms["n3"].ScrubStart(); err != nil {
			t.Error(err)
		}
	})
	h.until("scrub done", 10*time.Minute, func() bool {
		s := h.ms["n3"].Workers().Scrub
		return !s.Running && !s.LastDone.IsZero()
	})
	s := h.ms["n3"].Workers().Scrub
	if s.Corrupt != 5 || s.Checked < 20 {
		t.Errorf("scrub %+v, want 5 corrupt of at least 20 checked", s)
	}
	for _, hash := range hashes {
		h.waitRepaired("n3", hash)
	}
}

func TestScrubResumesAfterRestart(t *testing.T) {
	h := newHarness(t, 16, 3, func(c *Config) { c.Fsync = true })
	h.start(3)
	hashes, _ := h.stored(150, 2_000)
	h.w.Disk("n2").Corrupt(h.fileOf("n2", hashes[len(hashes)-1]), 7)
	h.do(func(context.Context) { _ = h.ms["n2"].ScrubStart() })
	h.until("scrub past its first pages", 10*time.Minute, func() bool {
		return h.ms["n2"].Workers().Scrub.Checked > scrubPage
	})
	h.restart("n2")
	if s := h.ms["n2"].Workers().Scrub; s.Checked > 0 && !s.Running {
		t.Fatalf("scrub state after restart: %+v", s)
	}
	h.until("scrub done", 30*time.Minute, func() bool {
		s := h.ms["n2"].Workers().Scrub
		return !s.Running && !s.LastDone.IsZero()
	})
	if s := h.ms["n2"].Workers().Scrub; s.Corrupt != 1 || s.Checked < 150 || s.Checked > 150+scrubPage {
		t.Errorf("scrub after resuming: %+v, want the last block found corrupt without a second full pass", s)
	}
}

func TestScrubFindsBlocksLostInACrash(t *testing.T) {
	h := newHarness(t, 17, 3, nil) // no data_fsync: a crash loses recent files
	h.start(3)
	hashes, _ := h.stored(50, 2_000)
	h.restart("n3")
	lost := 50 - len(h.filesOf("n3"))
	if lost == 0 {
		t.Fatal("the crash lost no block file: nothing to test")
	}
	h.do(func(context.Context) { _ = h.ms["n3"].ScrubStart() })
	h.until("scrub done", 10*time.Minute, func() bool {
		s := h.ms["n3"].Workers().Scrub
		return !s.Running && !s.LastDone.IsZero()
	})
	if s := h.ms["n3"].Workers().Scrub; s.Missing != uint64(lost) {
		t.Errorf("scrub %+v, want %d missing", s, lost)
	}
	for _, hash := range hashes {
		h.waitRepaired("n3", hash)
	}
}

// filesOf returns the block files of node id.
func (h *harness) filesOf(id rt.NodeID) []string {
	names, _ := h.w.Disk(id).Files().List("")
	return slices.DeleteFunc(names, func(n string) bool { _, _, ok := parseName(n); return !ok })
}

func TestPutOfACollectableBlockPostponesItsDeletion(t *testing.T) {
	h := newHarness(t, 18, 3, nil)
	h.start(3)
	hashes, data := h.stored(1, 20_000)
	h.ref(hashes[0], -1)
	h.run(h.cfg.GCDelay - 2*time.Second)
	h.put("n2", data[0]) // a new object with the same content, its reference still on its way
	h.run(h.cfg.GCDelay / 2)
	if got := h.holders(hashes[0]); len(got) != 3 {
		t.Fatalf("block held by %v after its first deletion time, want 3 nodes", got)
	}
	h.ref(hashes[0], 1)
	h.run(3 * h.cfg.GCDelay)
	if got := h.holders(hashes[0]); len(got) != 3 {
		t.Fatalf("referenced block held by %v, want 3 nodes", got)
	}
}

func TestScrubCollectsOrphans(t *testing.T) {
	h := newHarness(t, 19, 3, nil)
	h.start(3)
	orphan := h.put("n1", blockData(1, 10_000)) // its reference never came
	kept, _ := h.stored(3, 10_000)
	h.run(time.Second)
	h.do(func(context.Context) {
		for _, id := range h.ids {
			_ = h.ms[id].ScrubStart()
		}
	})
	h.run(h.cfg.GCDelay / 2)
	if got := h.holders(orphan); len(got) != 3 {
		t.Fatalf("orphan held by %v before the delay, want 3 nodes", got)
	}
	h.until("orphan collected", 5*time.Minute, func() bool { return len(h.holders(orphan)) == 0 })
	for _, hash := range kept {
		if got := h.holders(hash); len(got) != 3 {
			t.Errorf("referenced block held by %v, want 3 nodes", got)
		}
	}
}

func TestPurgeStopsRepairs(t *testing.T) {
	h := newHarness(t, 23, 3, nil)
	h.start(3)
	ghost := Sum([]byte("lost for good"))
	h.ref(ghost, 1)
	h.run(time.Minute)
	m := h.ms["n2"]
	h.do(func(context.Context) {
		if err := m.Purge(ghost); err != nil {
			t.Error(err)
		}
	})
	h.run(time.Minute) // a resync in flight during the purge may fail once more
	before := m.Workers().Stats.ResyncDone
	h.run(10 * time.Minute)
	es, _ := m.Errors()
	n, _ := m.QueueLen()
	if after := m.Workers().Stats.ResyncDone; after != before || len(es) != 0 || n != 0 {
		t.Errorf("after purge: %d more resyncs, %d errors, %d queued", after-before, len(es), n)
	}
	if c, _ := m.RefCount(ghost); c != 0 {
		t.Errorf("purged block's count %d", c)
	}
}

func TestWorkerCountChangesAtRunTime(t *testing.T) {
	h := newHarness(t, 24, 3, nil)
	h.start(3)
	m := h.ms["n1"]
	if err := m.SetResyncWorkers(0); err == nil {
		t.Error("0 workers accepted")
	}
	if err := m.SetResyncWorkers(MaxResyncWorkers + 1); err == nil {
		t.Error("too many workers accepted")
	}
	if err := m.SetResyncWorkers(3); err != nil || m.Workers().ResyncWorkers != 3 {
		t.Errorf("set 3 workers: %v, %d", err, m.Workers().ResyncWorkers)
	}
	m.SetResyncTranquility(5)
	m.SetScrubTranquility(7)
	if w := m.Workers(); w.ResyncTranquility != 5 || w.Scrub.Tranquility != 7 {
		t.Errorf("tranquilities %d, %d; want 5, 7", w.ResyncTranquility, w.Scrub.Tranquility)
	}
}

// TestPutThenFreesOnceEveryWriteEnded pauses one of the three replicas:
// the put returns at its quorum, but the buffer is not given back until
// the paused node's write ended too (at WriteTimeout), and then once. A
// compressed block gives its buffer back before any write: the writes
// send the compressed copy.
func TestPutThenFreesOnceEveryWriteEnded(t *testing.T) {
	h := newHarness(t, 21, 3, nil)
	h.start(3)
	h.w.Pause("n3")
	data := make([]byte, 40_000) // incompressible: the writes send data itself
	rnd := rand.New(rand.NewPCG(1, 2))
	for i := range data {
		data[i] = byte(rnd.Uint32())
	}
	frees := 0
	h.do(func(ctx context.Context) {
		if err := h.ms["n1"].PutThen(ctx, Sum(data), data, func() { frees++ }); err != nil {
			t.Errorf("put: %v", err)
		}
		if frees != 0 {
			t.Errorf("buffer freed %d times when the put returned, with a write to a paused node pending", frees)
		}
	})
	h.run(h.cfg.WriteTimeout + time.Second)
	h.w.Resume("n3")
	h.run(time.Second)
	if frees != 1 {
		t.Fatalf("buffer freed %d times once every write ended, want 1", frees)
	}

	hc := newHarness(t, 22, 3, func(c *Config) { c.Compression = 1 })
	hc.start(3)
	zeros := make([]byte, 40_000)
	frees = 0
	hc.do(func(ctx context.Context) {
		if err := hc.ms["n1"].PutThen(ctx, Sum(zeros), zeros, func() { frees++ }); err != nil {
			t.Errorf("put: %v", err)
		}
	})
	hc.run(time.Second)
	if frees != 1 {
		t.Fatalf("compressed block: buffer freed %d times, want 1", frees)
	}
}
