package netem

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"testing"
	"time"
)

// TestShaperStress runs several shaped connections over one link while the
// model changes under them (cuts, heals, new latencies and bandwidths). In
// hold mode each stream must arrive complete and in order; in fail mode an
// in-order prefix, and writes may fail with ErrPartitioned. Nothing may
// hang or leak.
func TestShaperStress(t *testing.T) {
	for _, mode := range []PartitionMode{PartitionHold, PartitionFail} {
		t.Run(fmt.Sprint("mode=", mode), func(t *testing.T) { stress(t, mode) })
	}
}

func stress(t *testing.T, mode PartitionMode) {
	const conns, records = 4, 2000
	m := pair("x", "y")
	m.SetLatency(AllLinks(), ms)
	m.SetJitter(AllLinks(), Uniform{Width: ms})
	m.SetLoss(AllLinks(), 0.05)
	s := NewShaper(m, 3, WithMinRTO(5*ms), WithSegmentSize(64), WithBufferSize(1024), WithPartitionMode(mode))
	stop := make(chan struct{})
	var chaos sync.WaitGroup
	chaos.Go(func() { churn(s, stop) })
	var wg sync.WaitGroup
	errs := make(chan error, 2*conns)
	for i := range conns {
		client, server := tcpPair(t)
		c, err := s.Wrap(client, "a", "b")
		if err != nil {
			t.Fatal(err)
		}
		wg.Go(func() { errs <- writeRecords(c, i, records) })
		wg.Go(func() { errs <- readRecords(server, i, records) })
	}
	wg.Wait()
	close(stop)
	chaos.Wait()
	close(errs)
	for err := range errs {
		if err != nil && (mode == PartitionHold || !errors.Is(err, errBroken)) {
			t.Error(err)
		}
	}
	s.Close()
	waitNoDeliveryGoroutines(t)
}

// errBroken marks the failures a stream may see in PartitionFail mode.
var errBroken = errors.New("stream broken")

// churn changes the model every few milliseconds until stop is closed,
// and heals it on the way out.
func churn(s *Shaper, stop chan struct{}) {
	r := NewRand(99)
	for {
		select {
		case <-stop:
			s.Do(func(m *Model) { m.HealAll() })
			return
		case <-time.After(3 * ms):
		}
		s.Do(func(m *Model) {
			switch r.Uint64() % 4 {
			case 0:
				m.CutOneWay([]string{"a"}, []string{"b"})
			case 1:
				m.HealAll()
			case 2:
				m.SetLatency(AllLinks(), time.Duration(r.Uint64()%3)*ms)
			case 3:
				m.SetBandwidth(AllLinks(), float64(1e5+r.Uint64()%1e6))
			}
		})
	}
}

// writeRecords writes n 8-byte records (id, seq) on c, in writes of one to
// three records, then closes c (which flushes).
func writeRecords(c *Conn, id, n int) error {
	for seq := 0; seq < n; {
		k := min(1+seq%3, n-seq)
		buf := make([]byte, 0, 8*k)
		for j := range k {
			buf = binary.BigEndian.AppendUint32(buf, uint32(id))
			buf = binary.BigEndian.AppendUint32(buf, uint32(seq+j))
		}
		if _, err := c.Write(buf); errors.Is(err, ErrPartitioned) {
			c.Close()
			return fmt.Errorf("conn %d: write at %d: %w (%w)", id, seq, err, errBroken)
		} else if err != nil {
			return fmt.Errorf("conn %d: write at %d: %w", id, seq, err)
		}
		seq += k
	}
	return c.Close()
}

// readRecords reads the n records of writeRecords and then EOF.
func readRecords(c net.Conn, id, n int) error {
	var rec [8]byte
	for seq := range n {
		if _, err := io.ReadFull(c, rec[:]); err != nil {
			return fmt.Errorf("conn %d: read record %d: %w (%w)", id, seq, err, errBroken)
		}
		gotID, gotSeq := binary.BigEndian.Uint32(rec[:4]), binary.BigEndian.Uint32(rec[4:])
		if int(gotID) != id || int(gotSeq) != seq {
			return fmt.Errorf("conn %d: got record (%d, %d), want (%d, %d)", id, gotID, gotSeq, id, seq)
		}
	}
	if n, err := c.Read(rec[:]); n != 0 || err != io.EOF {
		return fmt.Errorf("conn %d: after the last record: %d bytes, %v; want EOF", id, n, err)
	}
	return nil
}
