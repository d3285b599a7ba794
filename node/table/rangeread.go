package table

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/gogarage/garage/node/crdt"
	"github.com/gogarage/garage/node/rt"
	"golang.org/x/crypto/blake2b"
)

// ErrNoMatcher is returned by GetRange for a custom filter on a schema
// that does not implement Matcher.
var ErrNoMatcher = errors.New("table: custom filter on a schema without Match")

// GetRange reads the entries of partition key pk from a read quorum, in
// sort key order (descending if reverse), starting at sort key start
// (inclusive; nil for the first or, if reverse, the last), keeping those
// that pass filter, at most limit of them (0: no limit).
//
// Each replica scans in order and reports every entry it scanned, filtered
// or not, and where it stopped; the coordinator merges the replies by sort
// key (CRDT merge), keeps only the sort keys every reply covers, applies
// the filter to the merged entries, and asks again from there until it has
// limit entries or every replica reached the end. So a tombstone on one
// replica hides an older live entry on another, and a page is never cut
// short where some replica had more to say. Replicas that missed or held
// older versions of returned entries are repaired in the background.
func (t *Table[E]) GetRange(ctx context.Context, pk, start []byte, filter Filter, limit int, reverse bool) ([]E, error) {
	if _, ok := t.schema.(Matcher[E]); filter.Custom != nil && !ok {
		return nil, fmt.Errorf("table %s: range: %w", t.schema.Name(), ErrNoMatcher)
	}
	h := blake2b.Sum256(pk)
	q := rangeReq{pkHash: h[:], start: start, filter: filter, reverse: reverse}
	var out []E
	for {
		q.limit = 0
		if limit > 0 {
			q.limit = limit - len(out)
		}
		page, cut, err := t.rangeRound(ctx, pk, q)
		if err != nil {
			return nil, fmt.Errorf("table %s: range: %w", t.schema.Name(), err)
		}
		out = append(out, page...)
		if limit > 0 && len(out) >= limit {
			return out[:limit], nil
		}
		if cut == nil {
			return out, nil
		}
		q.start, q.exclusive = cut, true
	}
}

// rangeRound runs one round of a range read: the merged matching entries
// and, if some replica stopped early, the sort key up to which the round
// is complete.
func (t *Table[E]) rangeRound(ctx context.Context, pk []byte, q rangeReq) ([]E, []byte, error) {
	nodes, err := t.readNodes(pk, t.hashes.sum(pk))
	if err != nil {
		return nil, nil, err
	}
	req := q.encode()
	nodes = selfLast(nodes, t.env.ID)
	res, err := rt.QuorumStart(ctx, t.env.Tasks, len(nodes), t.lay.ReadQuorum(),
		func(i int, done func(rangeRep, error)) { t.fetchRange(nodes[i], req, done) },
		func(all []rt.Result[rangeRep]) { t.repairRange(nodes, q.reverse, all) })
	if err != nil {
		return nil, nil, err
	}
	merged, cut, err := mergeRange[E](res, q.reverse)
	if err != nil {
		return nil, nil, err
	}
	var page []E
	for _, e := range merged {
		if t.matches(e, q.filter) {
			page = append(page, e)
		}
	}
	return page, cut, nil
}

func (t *Table[E]) fetchRange(to rt.NodeID, req []byte, done func(rangeRep, error)) {
	rt.StartCall(t.env.Tasks, t.env.Net, to, t.ep.rng, req, t.callOpts(), func(rep []byte, err error) {
		if err != nil {
			done(rangeRep{}, err)
			return
		}
		done(decodeRangeRep(rep))
	})
}

func (t *Table[E]) handleRange(_ context.Context, _ rt.NodeID, req []byte) ([]byte, error) {
	q, err := decodeRangeReq(req)
	if err != nil {
		return nil, err
	}
	rep, err := t.scanRange(q)
	if err != nil {
		return nil, err
	}
	return rep.encode(), nil
}

// matches reports whether e passes f.
func (t *Table[E]) matches(e E, f Filter) bool {
	if f.Live && t.schema.IsTombstone(e) {
		return false
	}
	if f.Custom == nil {
		return true
	}
	m, ok := t.schema.(Matcher[E])
	return ok && m.Match(e, f.Custom)
}

// before reports whether sort key a comes before b in scan order.
func before(a, b []byte, reverse bool) bool {
	if reverse {
		return bytes.Compare(a, b) > 0
	}
	return bytes.Compare(a, b) < 0
}

// mergeRange merges range replies: the entries every reply covers, merged
// by sort key in scan order, and the cut (the earliest last entry of the
// replies that stopped early; nil if none did).
func mergeRange[E Entry[E]](res []rt.Result[rangeRep], reverse bool) ([]E, []byte, error) {
	var cut []byte
	for _, r := range res {
		if r.Err == nil && r.Val.more && len(r.Val.entries) > 0 {
			last, err := decodeEntry[E](r.Val.entries[len(r.Val.entries)-1])
			if err != nil {
				return nil, nil, err
			}
			if sk := last.SortKey(); cut == nil || before(sk, cut, reverse) {
				cut = sk
			}
		}
	}
	merged, err := mergeEntries[E](res, func(sk []byte) bool { return cut == nil || !before(cut, sk, reverse) })
	if err != nil {
		return nil, nil, err
	}
	out := make([]E, 0, len(merged))
	for _, sk := range sortedKeys(merged, reverse) {
		out = append(out, merged[sk])
	}
	return out, cut, nil
}

// mergeEntries merges the entries of successful replies whose sort key
// keep accepts, by sort key.
func mergeEntries[E Entry[E]](res []rt.Result[rangeRep], keep func(sk []byte) bool) (map[string]E, error) {
	merged := map[string]E{}
	for _, r := range res {
		if r.Err != nil {
			continue
		}
		for _, b := range r.Val.entries {
			e, err := decodeEntry[E](b)
			if err != nil {
				return nil, err
			}
			sk := e.SortKey()
			if !keep(sk) {
				continue
			}
			if old, ok := merged[string(sk)]; ok {
				e = old.Merge(e)
			}
			merged[string(sk)] = e
		}
	}
	return merged, nil
}

// sortedKeys returns the keys of m in scan order.
func sortedKeys[V any](m map[string]V, reverse bool) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	if reverse {
		slices.Reverse(ks)
	}
	return ks
}

// repairRange sends each replica the merged version of every entry in the
// part of the range it covered where its reply differs.
func (t *Table[E]) repairRange(nodes []rt.NodeID, reverse bool, all []rt.Result[rangeRep]) {
	merged, err := mergeEntries[E](all, func([]byte) bool { return true })
	if err != nil {
		return
	}
	keys := sortedKeys(merged, reverse)
	for _, r := range all {
		if r.Err == nil {
			if stale := staleEntries(merged, keys, r.Val, reverse); len(stale) > 0 {
				t.repair(nodes[r.Index], stale)
			}
		}
	}
}

// staleEntries returns the encodings of the merged entries, among those
// rep covers, that rep lacks or holds in another version.
func staleEntries[E Entry[E]](merged map[string]E, keys []string, rep rangeRep, reverse bool) [][]byte {
	have := map[string][]byte{}
	var last []byte
	for _, b := range rep.entries {
		e, err := decodeEntry[E](b)
		if err != nil {
			return nil
		}
		last = e.SortKey()
		have[string(last)] = b
	}
	var stale [][]byte
	for _, k := range keys {
		if rep.more && before(last, []byte(k), reverse) {
			break
		}
		if enc := crdt.Marshal(merged[k]); !bytes.Equal(have[k], enc) {
			stale = append(stale, enc)
		}
	}
	return stale
}

func decodeEntry[E Entry[E]](b []byte) (E, error) { return crdt.Unmarshal[E](b) }
