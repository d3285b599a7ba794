package object

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/gogarage/garage/node/block"
	"github.com/gogarage/garage/node/rt"
)

// body reads spans of blocks in order, fetching up to GetPrefetch blocks
// ahead of the one being read. It is used by one task at a time.
type body struct {
	ctx     context.Context
	s       *Service
	info    ObjectInfo
	spans   []span
	next    int                 // next span to fetch
	done    int                 // spans read
	window  []*rt.Future[owned] // fetches of spans done..next, in order
	cur     []byte
	release func() // gives back the block cur is a slice of
	err     error
	first   *rt.Future[owned] // the first block, fetched with the block list
	firstOK bool
}

// owned is a block read and the release of its buffer (Blocks.GetOwned).
type owned struct {
	data    []byte
	release func()
}

// newBody returns the reader of spans; first, if not nil, is the fetch of
// block firstHash, used if the first span is of that block.
func (s *Service) newBody(ctx context.Context, info ObjectInfo, spans []span, first *rt.Future[owned], firstHash block.Hash) *body {
	b := &body{ctx: ctx, s: s, info: info, spans: spans, first: first}
	b.firstOK = first != nil && len(spans) > 0 && spans[0].hash == firstHash
	return b
}

// fetch gets block h in a task of its own, into a buffer the body gives
// back once it has served the block.
func (s *Service) fetch(h block.Hash) *rt.Future[owned] {
	return rt.Go(s.env.Tasks, "object-get-block", func(ctx context.Context) (owned, error) {
		data, release, err := s.blocks.GetOwned(ctx, h)
		return owned{data, release}, err
	})
}

// Read serves the next bytes of the range.
func (b *body) Read(p []byte) (int, error) {
	for len(b.cur) == 0 {
		b.giveBack()
		if b.err != nil {
			return 0, b.err
		}
		if b.done == len(b.spans) {
			return 0, io.EOF
		}
		b.cur, b.err = b.nextSpan()
	}
	n := copy(p, b.cur)
	b.cur = b.cur[n:]
	return n, nil
}

// nextSpan waits for the block of the next span, after starting the
// fetches of the window.
func (b *body) nextSpan() ([]byte, error) {
	for b.next < len(b.spans) && b.next-b.done <= b.s.cfg.GetPrefetch {
		f := b.first
		if b.next > 0 || !b.firstOK {
			f = b.s.fetch(b.spans[b.next].hash)
		}
		b.window, b.next = append(b.window, f), b.next+1
	}
	sp := b.spans[b.done]
	o, err := b.window[0].Wait(b.ctx)
	b.window, b.done = b.window[1:], b.done+1
	data := o.data
	if err == nil {
		b.release = o.release
	}
	if err == nil && int64(len(data)) < sp.skip+sp.take {
		err = fmt.Errorf("block of %d bytes, %d expected", len(data), sp.skip+sp.take)
	}
	if err != nil {
		return nil, b.missing(sp.hash, err)
	}
	return data[sp.skip : sp.skip+sp.take], nil
}

// missing turns a failed block read into the read's error; a block that
// no node had is queued for repair.
func (b *body) missing(h block.Hash, err error) error {
	if errors.Is(err, block.ErrNotFound) {
		b.s.queueRepair(repairItem{version: b.info.Version, bucket: b.info.Bucket, key: b.info.Key, block: h})
		err = fmt.Errorf("%w: %w", ErrDataMissing, err)
	}
	return fmt.Errorf("read %s/%s (version %s), block %s: %w", b.info.Bucket, b.info.Key, b.info.Version, h, err)
}

// giveBack releases the block the body last served, now read.
func (b *body) giveBack() {
	if b.release != nil {
		b.release()
		b.release = nil
	}
}

// Close ends the read; fetches in flight end on their own. The block
// being served, if any, is left to the collector rather than given back,
// in case a Read still copies from it.
func (b *body) Close() error {
	b.err = errors.Join(b.err, errClosed)
	return nil
}

var errClosed = errors.New("object body closed")
