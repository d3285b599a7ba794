package object

import (
	"context"
	"errors"
	"fmt"
	"hash"
	"io"
	"sync"

	"github.com/gogarage/garage/node/block"
	"github.com/gogarage/garage/node/model"
	"github.com/gogarage/garage/node/rt"
)

// stored is what storeBlocks wrote.
type stored struct {
	size  uint64
	first block.Hash
	n     int // blocks
}

// storeBlocks cuts r into blocks and stores each as block (part,
// offset) of version u, which link names: the block at a write quorum,
// the version's entry for it and its block reference, the three at once.
// At most PutParallel blocks are in flight, so memory stays bounded
// whatever the size. Each block is hashed as it is read, its id and sum
// (an MD5, in order) in one pass (block.SumMD5). It returns once every
// block task ended.
func (s *Service) storeBlocks(ctx context.Context, u model.UUID, link model.Backlink, part uint64, r io.Reader, sum hash.Hash) (stored, error) {
	var st stored
	ch := block.NewChunker(r, s.cfg.BlockSize).WithBuffers(s.bufs.get, s.bufs.put)
	sem := rt.NewSemaphore(s.env.Tasks, s.cfg.PutParallel)
	fails := &firstError{mu: s.env.Tasks.NewMutex()}
	var tasks []*rt.Future[block.Hash]
	for fails.get() == nil {
		data, err := ch.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		var h block.Hash
		if err == nil {
			h = block.SumMD5(data, sum) // the block's id and the ETag, in one pass
			err = sem.Acquire(ctx)
		}
		if err != nil {
			fails.set(fmt.Errorf("read block %d: %w", st.n, err))
			break
		}
		off := st.size
		tasks = append(tasks, rt.Go(s.env.Tasks, "object-put-block", func(ctx context.Context) (block.Hash, error) {
			defer sem.Release()
			err := s.storeBlock(ctx, u, link, part, off, h, data, func() { s.bufs.put(data) })
			fails.set(err)
			return h, err
		}))
		st.size, st.n = st.size+uint64(len(data)), st.n+1
	}
	for i, t := range tasks {
		h, _ := t.Wait(context.Background()) // the tasks end within their RPC timeouts
		if i == 0 {
			st.first = h
		}
	}
	return st, fails.get()
}

// storeBlock stores one block of version u, of hash h, and records it.
// free recycles data's buffer once the block manager no longer needs it.
func (s *Service) storeBlock(ctx context.Context, u model.UUID, link model.Backlink, part, off uint64, h block.Hash, data []byte, free func()) error {
	v := model.NewVersion(u, link).WithBlock(part, off, model.VersionBlock{Hash: h, Size: uint64(len(data))})
	put := s.goErr("object-block-data", func(ctx context.Context) error { return s.blocks.PutThen(ctx, h, data, free) })
	ver := s.goErr("object-block-version", func(ctx context.Context) error { return s.t.Versions.Insert(ctx, v) })
	errRef := s.t.BlockRefs.Insert(ctx, model.BlockRef{Block: h, Version: u})
	errPut, errVer := put(), ver()
	if err := errors.Join(errPut, errVer, errRef); err != nil {
		return fmt.Errorf("block %d+%d (%s): %w", part, off, h, err)
	}
	return nil
}

// firstError keeps the first error set.
type firstError struct {
	mu  rt.Mutex
	err error
}

func (f *firstError) set(err error) {
	f.mu.Lock()
	if f.err == nil {
		f.err = err
	}
	f.mu.Unlock()
}

func (f *firstError) get() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.err
}

// bufPool recycles the buffers uploads read blocks into (with spare
// capacity for the block file's trailer): a megabyte block
// allocated for every block read costs its zeroing and garbage
// collection, about a tenth of the CPU of a large PUT. A buffer comes
// back once the block manager's writes of it ended (block
// Manager.PutThen); buffers of another size are left to the collector.
type bufPool struct {
	size int
	mu   sync.Mutex // never held across a blocking call
	free [][]byte   // at most maxFreeBufs, of cap size+BufferSlack
}

// maxFreeBufs bounds the buffers kept for the next uploads (8 MiB at
// the default block size): a bounded list keeps them across garbage
// collections, which a sync.Pool empties.
const maxFreeBufs = 8

func (b *bufPool) get(size int) []byte {
	if size == b.size {
		b.mu.Lock()
		n := len(b.free)
		if n > 0 {
			buf := b.free[n-1]
			b.free[n-1] = nil
			b.free = b.free[:n-1]
			b.mu.Unlock()
			return buf[:size]
		}
		b.mu.Unlock()
	}
	// Room for the block file's trailer (block.BufferSlack).
	return make([]byte, size, size+block.BufferSlack)
}

func (b *bufPool) put(buf []byte) {
	if cap(buf) != b.size+block.BufferSlack || b.size == 0 {
		return
	}
	b.mu.Lock()
	if len(b.free) < maxFreeBufs {
		b.free = append(b.free, buf[:cap(buf)])
	}
	b.mu.Unlock()
}
