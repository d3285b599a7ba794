package table

import (
	"bytes"
	"encoding/binary"
	"slices"

	"github.com/gogarage/garage/node/rt"
)

// scanExtra bounds how many entries a replica's range scan may return
// beyond the limit (entries the filter rejects), so that a reply stays
// small; the coordinator continues from where the scan stopped.
const scanExtra = 1000

// rangeReq is a range read of one partition key, as sent to a replica.
type rangeReq struct {
	pkHash    []byte // 32 bytes
	start     []byte // nil: from the first (last, if reverse) sort key
	exclusive bool   // start itself is excluded
	filter    Filter
	limit     int // matching entries wanted; 0: no limit
	reverse   bool
}

// rangeRep is a replica's answer: the entries it scanned in scan order,
// matching the filter or not (the coordinator needs them to merge), and
// whether it stopped before the end, in which case the reply covers only
// the sort keys up to its last entry.
type rangeRep struct {
	entries [][]byte
	more    bool
}

func (q rangeReq) encode() []byte {
	b := appendBytes(nil, q.pkHash)
	b = appendOpt(b, q.start)
	b = append(b, flags(q.exclusive, q.filter.Live, q.reverse))
	b = appendOpt(b, q.filter.Custom)
	return binary.AppendUvarint(b, uint64(q.limit))
}

func flags(bs ...bool) byte {
	var f byte
	for i, b := range bs {
		if b {
			f |= 1 << i
		}
	}
	return f
}

func decodeRangeReq(b []byte) (rangeReq, error) {
	r := reader{b: b}
	q := rangeReq{pkHash: r.bytes(), start: r.opt()}
	f := r.byte()
	q.exclusive, q.filter.Live, q.reverse = f&1 != 0, f&2 != 0, f&4 != 0
	q.filter.Custom = r.opt()
	q.limit = int(min(r.uvarint(), 1<<31))
	if len(q.pkHash) != 32 {
		r.fail("partition key hash")
	}
	return q, r.done()
}

func (p rangeRep) encode() []byte {
	return appendList([]byte{flags(p.more)}, p.entries)
}

func decodeRangeRep(b []byte) (rangeRep, error) {
	r := reader{b: b}
	p := rangeRep{more: r.byte() == 1}
	p.entries = r.list()
	return p, r.done()
}

// bounds returns the KV key range [lo, hi) the request scans.
func (q rangeReq) bounds() (lo, hi []byte) {
	lo, hi = q.pkHash, prefixEnd(q.pkHash)
	if q.start == nil {
		return lo, hi
	}
	at := append(slices.Clone(q.pkHash), q.start...)
	switch {
	case !q.reverse && q.exclusive:
		lo = append(at, 0)
	case !q.reverse:
		lo = at
	case q.exclusive:
		hi = at
	default:
		hi = append(at, 0)
	}
	return lo, hi
}

// prefixEnd returns the smallest key greater than every key starting with
// p, or nil if there is none.
func prefixEnd(p []byte) []byte {
	end := slices.Clone(p)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i]++; end[i] != 0 {
			return end[:i+1]
		}
	}
	return nil
}

// scanRange runs q on this node's replica.
func (t *Table[E]) scanRange(q rangeReq) (rangeRep, error) {
	var rep rangeRep
	lo, hi := q.bounds()
	matched := 0
	err := t.env.KV.View(func(tx rt.ReadTx) error {
		var derr error
		err := tx.Scan(t.trees.data, lo, hi, q.reverse, func(_, v []byte) bool {
			if q.limit > 0 && (matched == q.limit || len(rep.entries) == q.limit+scanExtra) {
				rep.more = true
				return false
			}
			e, err := decodeEntry[E](v)
			if err != nil {
				derr = err
				return false
			}
			rep.entries = append(rep.entries, bytes.Clone(v))
			if t.matches(e, q.filter) {
				matched++
			}
			return true
		})
		if derr != nil {
			return derr
		}
		return err
	})
	return rep, err
}
