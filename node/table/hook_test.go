package table

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gogarage/garage/node/rt"
)

var errRejected = errors.New("rejected by hook")

// countingSchema keeps, in tree "rows/count", the number of live entries
// of each partition key, updated by the Updated hook; it rejects the value
// "reject".
func countingSchema() Spec[row] {
	s := rowSchema()
	s.OnUpdate = func(tx rt.Tx, old, new *row) error {
		if new != nil && new.Val() == "reject" {
			return errRejected
		}
		d := int64(0)
		if old != nil && old.Val() != "" {
			d--
		}
		if new != nil && new.Val() != "" {
			d++
		}
		var pk string
		if old != nil {
			pk = old.PK
		} else {
			pk = new.PK
		}
		return addCount(tx, pk, d)
	}
	return s
}

func addCount(tx rt.Tx, pk string, d int64) error {
	b, err := tx.Get("rows/count", []byte(pk))
	if err != nil {
		return err
	}
	var n int64
	if len(b) == 8 {
		n = int64(binary.BigEndian.Uint64(b))
	}
	return tx.Put("rows/count", []byte(pk), binary.BigEndian.AppendUint64(nil, uint64(n+d)))
}

// counts returns, on node id, the hook's counters and the live entries
// counted by a scan.
func (c *cluster) counts(id rt.NodeID) (hook, scan map[string]int64) {
	hook, scan = map[string]int64{}, map[string]int64{}
	err := c.w.Env(id).KV.View(func(tx rt.ReadTx) error {
		err := tx.Scan("rows/count", nil, nil, false, func(k, v []byte) bool {
			if n := int64(binary.BigEndian.Uint64(v)); n != 0 {
				hook[string(k)] = n
			}
			return true
		})
		if err != nil {
			return err
		}
		return tx.Scan("rows", nil, nil, false, func(_, v []byte) bool {
			if r, err := decodeEntry[row](v); err == nil && r.Val() != "" {
				scan[r.PK]++
			}
			return true
		})
	})
	must(c.t, err)
	return hook, scan
}

// TestUpdatedHookIsAtomicWithWrites checks that the hook's counters match
// the stored entries on every node, through overwrites, deletions,
// anti-entropy and a crash that loses unsynced commits, and that
// a hook error fails the write and stores nothing.
func TestUpdatedHookIsAtomicWithWrites(t *testing.T) {
	c := newCluster(t, clusterOpts{seed: 50, nodes: 5, cfg: syncCfg, schema: countingSchema()})
	rng := c.w.Rand("hook-test")
	for round := range 6 {
		var rows []row
		for range 40 {
			v := []string{"", "a", "b"}[rng.IntN(3)]
			rows = append(rows, mkRow(fmt.Sprint("pk", rng.IntN(4)), fmt.Sprint(rng.IntN(30)), uint64(10+round), v))
		}
		must(t, c.insert(c.ids[round%3], rows...))
		if round == 2 {
			c.w.Crash("n4")
		}
		if round == 4 {
			c.w.Restart("n4")
		}
	}
	must(t, c.w.RunUntil(c.converged, 5*time.Minute))
	for _, id := range c.ids {
		hook, scan := c.counts(id)
		if fmt.Sprint(hook) != fmt.Sprint(scan) {
			t.Errorf("%s: hook counters %v, scanned live entries %v", id, hook, scan)
		}
	}
	err := c.insert("n1", mkRow("pkx", "r", 99, "reject"))
	if err == nil || !strings.Contains(err.Error(), errRejected.Error()) {
		t.Fatalf("insert rejected by the hook: err = %v", err)
	}
	for _, id := range c.ids {
		if _, ok, _ := c.tabs[id].LocalGet([]byte("pkx"), []byte("r")); ok {
			t.Fatalf("%s stored an entry its hook rejected", id)
		}
	}
}
