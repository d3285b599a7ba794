package checker

import (
	"fmt"
	"sort"
)

// listing is one listing of a set: the union of its pages.
type listing struct {
	id         OpID
	pages      []Op // by call
	start, end Stamp
	complete   bool // every page succeeded and the last has More == false
	final      bool
	seen       map[string]bool
}

// setHistory gathers the operations of one set.
type setHistory struct {
	name     string
	adds     map[string][]Op // element -> adds that may have happened
	removes  map[string][]Op // element -> removes that may have happened
	failed   map[string]OpID // element -> a failed add
	listings []*listing      // by start
}

// sets splits h into sets, sorted by name.
func sets(h History, v Vocabulary) []*setHistory {
	byName := make(map[string]*setHistory)
	pages := make(map[string]map[OpID][]Op)
	var names []string
	get := func(name string) *setHistory {
		s, ok := byName[name]
		if !ok {
			s = &setHistory{name: name, adds: map[string][]Op{}, removes: map[string][]Op{}, failed: map[string]OpID{}}
			byName[name] = s
			pages[name] = make(map[OpID][]Op)
			names = append(names, name)
		}
		return s
	}
	for _, o := range h.Ops {
		switch {
		case v.is(o, RoleAdd) && o.Outcome == Fail:
			get(o.Set).failed[o.Key] = o.ID
		case v.is(o, RoleAdd):
			s := get(o.Set)
			s.adds[o.Key] = append(s.adds[o.Key], o)
		case v.is(o, RoleRemove) && o.mayHaveHappened():
			s := get(o.Set)
			s.removes[o.Key] = append(s.removes[o.Key], o)
		case v.is(o, RoleList):
			get(o.Set)
			pages[o.Set][o.ListingID()] = append(pages[o.Set][o.ListingID()], o)
		}
	}
	sort.Strings(names)
	out := make([]*setHistory, len(names))
	for i, n := range names {
		out[i] = byName[n]
		out[i].listings = buildListings(pages[n])
	}
	return out
}

func buildListings(byID map[OpID][]Op) []*listing {
	out := make([]*listing, 0, len(byID))
	for id, ps := range byID {
		byCall(ps)
		l := &listing{id: id, pages: ps, start: ps[0].Call, complete: !ps[len(ps)-1].More, seen: map[string]bool{}}
		for _, p := range ps {
			l.end = max(l.end, p.Return)
			l.complete = l.complete && p.Outcome == OK
			l.final = l.final || p.Final
			for _, e := range p.Observed {
				l.seen[e] = true
			}
		}
		out = append(out, l)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].start < out[j].start })
	return out
}

// ListAfterWrite sweeps the set workload's listings: an element whose add
// was acknowledged before a complete listing started must appear in it
// unless a remove of it that may be later was invoked before the listing
// ended ("missing", or "lost" in a final listing); an element whose remove
// was acknowledged before a page was invoked must not be on the page unless
// a possibly later add was invoked before the page returned
// ("removed-listed"); every listed element must have been added by an
// operation that may have happened, invoked before the page returned
// ("phantom"). A set with final pages but no complete final listing is a
// "no-final-listing" violation.
func ListAfterWrite(h History, o Options) Result {
	var vs []Violation
	listings := 0
	for _, s := range sets(h, o.vocab()) {
		listings += len(s.listings)
		vs = append(vs, s.check()...)
	}
	return newResult(CheckList, listings, vs, fmt.Sprintf("%d listings", listings))
}

func (s *setHistory) check() []Violation {
	var vs []Violation
	finals, completeFinals := 0, 0
	for _, l := range s.listings {
		for _, p := range l.pages {
			vs = append(vs, s.checkPage(p)...)
		}
		if l.final {
			finals++
		}
		if l.complete {
			vs = append(vs, s.checkComplete(l)...)
			if l.final {
				completeFinals++
			}
		}
	}
	if finals > 0 && completeFinals == 0 {
		vs = append(vs, Violation{Rule: "no-final-listing", Key: s.name,
			Explain: fmt.Sprintf("none of %d final listings completed", finals)})
	}
	return vs
}

// checkPage looks for phantoms and removed elements on one page.
func (s *setHistory) checkPage(p Op) []Violation {
	if p.Outcome != OK {
		return nil
	}
	var vs []Violation
	for _, e := range p.Observed {
		if v, bad := s.phantom(p, e); bad {
			vs = append(vs, v)
		} else if v, bad := s.removedListed(p, e); bad {
			vs = append(vs, v)
		}
	}
	return vs
}

func (s *setHistory) phantom(p Op, e string) (Violation, bool) {
	adds := s.adds[e]
	for _, a := range adds {
		if a.Call < p.Return {
			return Violation{}, false
		}
	}
	v := Violation{Rule: "phantom", Key: s.name, Ops: []OpID{p.ID}}
	switch id, failed := s.failed[e]; {
	case len(adds) > 0:
		v.Ops = append(v.Ops, adds[0].ID)
		v.Explain = fmt.Sprintf("page returned at %v lists %q, first added by %v invoked at %v", p.Return, e, adds[0].ID, adds[0].Call)
	case failed:
		v.Ops = append(v.Ops, id)
		v.Explain = fmt.Sprintf("page lists %q, whose only add %v failed", e, id)
	default:
		v.Explain = fmt.Sprintf("page lists %q, which was never added", e)
	}
	return v, true
}

func (s *setHistory) removedListed(p Op, e string) (Violation, bool) {
	for _, rm := range s.removes[e] {
		if rm.Outcome != OK || rm.Return > p.Call || s.readdedBetween(e, rm, p.Return) {
			continue
		}
		return Violation{Rule: "removed-listed", Key: s.name, Ops: []OpID{p.ID, rm.ID},
			Explain: fmt.Sprintf("page invoked at %v lists %q, removed by %v acknowledged at %v", p.Call, e, rm.ID, rm.Return)}, true
	}
	return Violation{}, false
}

// readdedBetween reports whether an add of e that may follow rm was invoked
// before stamp until.
func (s *setHistory) readdedBetween(e string, rm Op, until Stamp) bool {
	for _, a := range s.adds[e] {
		if a.Return > rm.Call && a.Call < until {
			return true
		}
	}
	return false
}

// removedBetween reports whether a remove of e that may follow a was
// invoked before stamp until.
func (s *setHistory) removedBetween(e string, a Op, until Stamp) bool {
	for _, rm := range s.removes[e] {
		if rm.Return > a.Call && rm.Call < until {
			return true
		}
	}
	return false
}

// checkComplete looks for acknowledged adds missing from a whole listing.
func (s *setHistory) checkComplete(l *listing) []Violation {
	rule := "missing"
	if l.final {
		rule = "lost"
	}
	var vs []Violation
	for _, e := range sortedKeys(s.adds) {
		if l.seen[e] {
			continue
		}
		for _, a := range s.adds[e] {
			if a.Outcome == OK && a.Return < l.start && !s.removedBetween(e, a, l.end) {
				vs = append(vs, Violation{Rule: rule, Key: s.name, Ops: []OpID{l.pages[0].ID, a.ID},
					Explain: fmt.Sprintf("listing %v (%v..%v) lacks %q, added by %v acknowledged at %v",
						l.id, l.start, l.end, e, a.ID, a.Return)})
				break
			}
		}
	}
	return vs
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
