package maporder

import (
	"slices"
	"sort"
)

// One function per form the order-free judgement weighs; the name says
// the form.

func formKeysSortedAfterUnrelated(m map[string]int) []int {
	var vs []int
	for _, v := range m {
		vs = append(vs, v, -v)
	}
	n := len(m)
	slices.SortFunc(vs, func(a, b int) int { return a - b })
	return vs[:n]
}

func formKeysUsedBeforeSorted(m map[string]int) []string {
	var ks []string
	for k := range m { // want "map-range"
		ks = append(ks, k)
	}
	first := ks[0]
	sort.Strings(ks)
	return append(ks, first)
}

func formSpreadAppend(m map[string][]int) []int {
	var vs []int
	for _, v := range m { // want "map-range"
		vs = append(vs, v...)
	}
	slices.Sort(vs)
	return vs
}

func formAppendCall(m map[string]int) []string {
	var ks []string
	for k := range m { // want "map-range"
		ks = append(ks, label(k))
	}
	sort.Strings(ks)
	return ks
}

func label(k string) string { return k }

func formIntegerSums(m map[string]int) (n, s int, x uint8) {
	for _, v := range m {
		n++
		s += v
		x ^= uint8(v)
	}
	return
}

func formStringConcatenation(m map[string]int) (s string) {
	for k := range m { // want "map-range"
		s += k
	}
	return
}

func formSumOfSums(m map[string]int) (a, b int) {
	for _, v := range m { // want "map-range"
		a += v
		b += a
	}
	return
}

func formCountPerGroup(m map[string]int) map[int]int {
	c := map[int]int{}
	for _, v := range m {
		c[v%3]++
	}
	return c
}

func formCopyAtKey(m, out map[string]int) {
	for k, v := range m {
		out[k] = v + 1
	}
}

func formSetAtValue(m map[string]int, seen map[int]bool) {
	for _, v := range m {
		seen[v] = true
	}
}

func formPruneElseContinue(m map[string]int) {
	for k, v := range m {
		if v < 0 {
			delete(m, k)
		} else {
			continue
		}
	}
}

func formDeleteOtherKey(m map[string]int, other string) {
	for range m { // want "map-range"
		delete(m, other)
	}
}

func formDeleteDependingOnSize(m map[string]int) {
	for k := range m { // want "map-range"
		if len(m) > 2 {
			delete(m, k)
		}
	}
}

func formFlagOnCondition(m map[string]int) (neg bool) {
	for _, v := range m { // want "map-range"
		if !neg && v < 0 { // the condition reads what the body writes
			neg = true
		}
	}
	return
}

func formDetOKWithoutReasonOnTheLine(m map[string]int) (x int) {
	// want +1 "map-range"
	for _, v := range m { //det:ok
		x = v
	}
	return
}

func formLastValue(m map[string]int) (x int) {
	for _, v := range m { // want "map-range"
		x = v
	}
	return
}

func formBreak(m map[string]int) (n int) {
	for range m { // want "map-range"
		n++
		break
	}
	return
}

func formCallInBody(m map[string]int) {
	for k := range m { // want "map-range"
		use(k)
	}
}

func use(string) {}

func formCallInCondition(m map[string]int) (n int) {
	for _, v := range m { // want "map-range"
		if positive(v) {
			n++
		}
	}
	return
}

func positive(v int) bool { return v > 0 }

func formIfWithInit(m map[string]int) (n int) {
	for _, v := range m { // want "map-range"
		if w := v; w > 0 {
			n++
		}
	}
	return
}

func formAssignedKeyVariable(m map[string]int) (ks []string) {
	var k string
	for k = range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return
}

func formLabeledInCaseClause(m map[string]int, on bool) (ks []string) {
	switch {
	case on:
	outer:
		for k := range m { // want "map-range"
			ks = append(ks, k)
			continue outer
		}
	}
	return
}

func formSortedInOuterBlockOnly(m map[string]int, on bool) (ks []string) {
	if on {
		for k := range m { // want "map-range"
			ks = append(ks, k)
		}
	}
	slices.Sort(ks)
	return
}

func formNamedMapType(m named) (x int) {
	for _, v := range m { // want "map-range"
		x = v
	}
	return
}

type named map[string]int

func formNestedInClosure(m map[string]int) func() []string {
	return func() (ks []string) {
		for k := range m { // want "map-range"
			ks = append(ks, k)
		}
		return
	}
}
