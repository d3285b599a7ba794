package daemon

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gogarage/garage/node/block"
	"github.com/gogarage/garage/node/rt"
)

// blockCluster starts three real nodes with layout version 1 applied
// everywhere and stores n random blocks of size bytes from the first,
// each referenced on every node (as the block_ref table would).
func blockCluster(t *testing.T, n, size int) ([]*Daemon, []Config, []block.Hash, [][]byte) {
	t.Helper()
	secret := testSecret(7)
	cfg0 := testConfig(t, t.TempDir(), secret)
	cfgs := []Config{cfg0}
	ds := []*Daemon{startDaemon(t, cfg0)}
	for range 2 {
		c := testConfig(t, t.TempDir(), secret, string(ds[0].ID())+"@"+ds[0].Addr())
		cfgs, ds = append(cfgs, c), append(ds, startDaemon(t, c))
	}
	cs := []*Client{dialDaemon(t, ds[0], secret), dialDaemon(t, ds[1], secret), dialDaemon(t, ds[2], secret)}
	waitUp(t, 3, cs...)
	assignAll(t, ds, cs[0])
	for i, d := range ds {
		eventually(t, fmt.Sprintf("node %d has layout 1", i), func() error {
			if v := d.Cluster().History().Current().Number; v != 1 {
				return fmt.Errorf("version %d", v)
			}
			return nil
		})
	}
	r := rand.New(rand.NewPCG(1, 2))
	var hashes []block.Hash
	var data [][]byte
	for range n {
		b := make([]byte, size)
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		h := block.Sum(b)
		if err := ds[0].Node().Block().Put(context.Background(), h, b); err != nil {
			t.Fatal(err)
		}
		for _, d := range ds {
			incRef(t, d, h)
		}
		hashes, data = append(hashes, h), append(data, b)
	}
	for i, d := range ds {
		eventually(t, fmt.Sprintf("node %d holds every block", i), func() error { return holdsAll(d, n) })
	}
	return ds, cfgs, hashes, data
}

func incRef(t *testing.T, d *Daemon, h block.Hash) {
	t.Helper()
	err := d.node.Env.KV.Update(func(tx rt.Tx) error { return d.Node().Block().IncRef(tx, h) })
	if err != nil {
		t.Fatal(err)
	}
}

func holdsAll(d *Daemon, n int) error {
	u, err := d.Node().Block().Usage()
	if err == nil && u.Files != n {
		err = fmt.Errorf("%d block files, want %d", u.Files, n)
	}
	return err
}

// flipByte damages the file of h in node d's data directory.
func flipByte(t *testing.T, d *Daemon, cfg Config, h block.Hash) string {
	t.Helper()
	in, err := d.Node().Block().Info(h)
	if err != nil || len(in.Files) != 1 {
		t.Fatalf("info of %s: %+v, %v", h, in, err)
	}
	path := filepath.Join(cfg.PrimaryDataDir(), filepath.FromSlash(in.Files[0].Name))
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 0x40
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// verified reports whether node d's own copy of h reads back as data.
func verified(d *Daemon, cfg Config, h block.Hash, data []byte) error {
	in, err := d.Node().Block().Info(h)
	if err != nil || len(in.Files) != 1 {
		return fmt.Errorf("files %+v, %v", in.Files, err)
	}
	b, err := os.ReadFile(filepath.Join(cfg.PrimaryDataDir(), filepath.FromSlash(in.Files[0].Name)))
	// Random blocks are stored plain, followed by the file's integrity
	// trailer (as long as the slack block buffers keep for it).
	if err != nil || len(b) != len(data)+block.BufferSlack || !bytes.Equal(b[:len(data)], data) {
		return fmt.Errorf("file content differs (%v)", err)
	}
	return nil
}

func TestRealCorruptBlockRepaired(t *testing.T) {
	ds, cfgs, hashes, data := blockCluster(t, 6, 100_000)
	ctx := context.Background()
	// A read meets the corrupt file, still succeeds, and queues a repair.
	path := flipByte(t, ds[1], cfgs[1], hashes[0])
	got, err := ds[1].Node().Block().Get(ctx, hashes[0])
	if err != nil || !bytes.Equal(got, data[0]) {
		t.Fatalf("get of a corrupt block: %v", err)
	}
	if _, err := os.Stat(path + ".corrupted"); err != nil {
		t.Errorf("corrupt file not set aside: %v", err)
	}
	eventually(t, "resync repairs the read block", func() error { return verified(ds[1], cfgs[1], hashes[0], data[0]) })
	// The scrub finds silent corruption.
	flipByte(t, ds[2], cfgs[2], hashes[1])
	if err := ds[2].Node().Block().ScrubStart(); err != nil {
		t.Fatal(err)
	}
	eventually(t, "scrub repairs the silent corruption", func() error { return verified(ds[2], cfgs[2], hashes[1], data[1]) })
	if s := ds[2].Node().Block().Workers().Scrub; s.Corrupt != 1 {
		t.Errorf("scrub %+v, want 1 corrupt file", s)
	}
}

func TestRealWipedDataDirRestored(t *testing.T) {
	const n, size = 64, 1 << 20
	ds, cfgs, _, _ := blockCluster(t, n, size)
	if err := ds[2].Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(cfgs[2].PrimaryDataDir()); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	d := startDaemon(t, cfgs[2])
	deadline := time.Now().Add(2 * time.Minute)
	for holdsAll(d, n) != nil {
		if time.Now().After(deadline) {
			t.Fatalf("not restored: %v", holdsAll(d, n))
		}
		time.Sleep(20 * time.Millisecond)
	}
	st := d.Node().Block().Workers().Stats
	if st.RestoreQueued != n || st.Fetched != n {
		t.Errorf("stats %+v, want %d queued and fetched", st, n)
	}
	t.Logf("real wiped data dir: %d blocks of %d KiB restored in %v (1 resync worker, tranquility %d)",
		n, size>>10, time.Since(start).Round(time.Millisecond), block.DefaultResyncTranquility)
}
