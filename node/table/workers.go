package table

import (
	"context"
	"time"
)

// WorkerStats counts the rounds of one background worker of a table: what
// `garage worker list` shows of it.
type WorkerStats struct {
	Busy        bool          // a round is running now
	Done        uint64        // rounds that ended without error
	Errors      uint64        // rounds that failed
	Consecutive uint64        // failures since the last success
	LastError   string        // the last failure's message ("" if none)
	LastEnd     time.Duration // monotonic time the last round ended (if Done + Errors > 0)
}

// Workers are the statistics of a table's background workers.
type Workers struct {
	Merkle WorkerStats // applies the Merkle todo queue to the tries
	Sync   WorkerStats // anti-entropy passes and offload
	GC     WorkerStats // tombstone GC rounds
	Queue  WorkerStats // insert-queue flushes (rounds that wrote something)
}

// worker names one of Workers' fields.
type worker int

const (
	workerMerkle worker = iota
	workerSync
	workerGC
	workerQueue
)

func (w *Workers) of(k worker) *WorkerStats {
	return [...]*WorkerStats{&w.Merkle, &w.Sync, &w.GC, &w.Queue}[k]
}

// Workers returns the statistics of the table's background workers.
func (t *Table[E]) Workers() Workers {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.workers
}

// began marks a round of worker k as running.
func (t *Table[E]) began(k worker) {
	t.mu.Lock()
	t.workers.of(k).Busy = true
	t.mu.Unlock()
}

// ended records the end of a round of worker k, failed if err is set.
func (t *Table[E]) ended(k worker, err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := t.workers.of(k)
	s.Busy, s.LastEnd = false, t.env.Clock.Mono()
	if err != nil {
		s.Errors, s.Consecutive, s.LastError = s.Errors+1, s.Consecutive+1, err.Error()
		return
	}
	s.Done, s.Consecutive = s.Done+1, 0
}

// idle marks worker k as not running, without counting a round: a look
// at an empty queue.
func (t *Table[E]) idle(k worker) {
	t.mu.Lock()
	t.workers.of(k).Busy = false
	t.mu.Unlock()
}

// nilIfDone drops the error of a round cut short by the node stopping.
func nilIfDone(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return nil
	}
	return err
}
