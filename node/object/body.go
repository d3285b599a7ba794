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
	next    int                  // next span to fetch
	done    int                  // spans read
	window  []*rt.Future[[]byte] // fetches of spans done..next, in order
	cur     []byte
	err     error
	first   *rt.Future[[]byte] // the first block, fetched with the block list
	firstOK bool
}

// newBody returns the reader of spans; first, if not nil, is the fetch of
// block firstHash, used if the first span is of that block.
func (s *Service) newBody(ctx context.Context, info ObjectInfo, spans []span, first *rt.Future[[]byte], firstHash block.Hash) *body {
	b := &body{ctx: ctx, s: s, info: info, spans: spans, first: first}
	b.firstOK = first != nil && len(spans) > 0 && spans[0].hash == firstHash
	return b
}

// fetch gets block h in a task of its own.
func (s *Service) fetch(h block.Hash) *rt.Future[[]byte] {
	return rt.Go(s.env.Tasks, "object-get-block", func(ctx context.Context) ([]byte, error) {
		return s.blocks.Get(ctx, h)
	})
}

// Read serves the next bytes of the range.
func (b *body) Read(p []byte) (int, error) {
	for len(b.cur) == 0 {
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
	data, err := b.window[0].Wait(b.ctx)
	b.window, b.done = b.window[1:], b.done+1
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

// Close ends the read; fetches in flight end on their own.
func (b *body) Close() error {
	b.err = errors.Join(b.err, errClosed)
	return nil
}

var errClosed = errors.New("object body closed")
