package sim

import (
	"cmp"
	"slices"
)

// posSet is an unordered set of items that record their own position in
// it, so that adding and removing are O(1) with no hashing: the scheduler
// adds and removes tasks and calls at every step, and iterates over them
// (in id order) only on crashes, Close and Blocked.
type posSet[T any] struct {
	items []T
	pos   func(T) *int   // the item's 1 + index field; 0 when out
	id    func(T) uint64 // the order of sorted
}

func (s *posSet[T]) len() int { return len(s.items) }

// add inserts x, which must not be in the set.
func (s *posSet[T]) add(x T) {
	s.items = append(s.items, x)
	*s.pos(x) = len(s.items)
}

// remove takes x out of the set if it is in.
func (s *posSet[T]) remove(x T) {
	p := s.pos(x)
	i := *p - 1
	if i < 0 {
		return
	}
	last := len(s.items) - 1
	if i != last {
		s.items[i] = s.items[last]
		*s.pos(s.items[i]) = i + 1
	}
	var zero T
	s.items[last] = zero
	s.items = s.items[:last]
	*p = 0
}

// sorted returns the items in ascending id order, as a new slice.
func (s *posSet[T]) sorted() []T {
	out := slices.Clone(s.items)
	slices.SortFunc(out, func(a, b T) int { return cmp.Compare(s.id(a), s.id(b)) })
	return out
}

func newTaskSet(pos func(*task) *int) posSet[*task] {
	return posSet[*task]{pos: pos, id: func(t *task) uint64 { return t.id }}
}

func livePos(t *task) *int { return &t.livePos }
func incPos(t *task) *int  { return &t.incPos }

func newCallSet() posSet[*call] {
	return posSet[*call]{pos: func(c *call) *int { return &c.pos }, id: func(c *call) uint64 { return c.id }}
}
