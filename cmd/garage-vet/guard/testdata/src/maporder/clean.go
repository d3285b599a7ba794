package maporder

import (
	"maps"
	"slices"
	"sort"
)

func sortedKeys(m map[string]int) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func sortedValues(m map[string]int) []int {
	vs := make([]int, 0, len(m))
	for _, v := range m {
		vs = append(vs, v)
	}
	n := len(m)
	slices.Sort(vs)
	return vs[:n]
}

func count(m map[string]int) (n, total int) {
	for _, v := range m {
		n++
		total += v
	}
	return n, total
}

func prune(m map[string]int) {
	for k, v := range m {
		if v == 0 {
			delete(m, k)
		}
	}
}

func double(m map[string]int) map[string]int {
	out := make(map[string]int, len(m))
	for k, v := range m {
		out[k] = v * 2
	}
	return out
}

func anyNegative(m map[string]int) (neg bool) {
	for _, v := range m {
		if v < 0 {
			neg = true
		}
	}
	return neg
}

func justified(m map[string]int) (last int) {
	//det:ok every value is equal by construction
	for _, v := range m {
		last = v
	}
	for _, v := range m { //det:ok same reason as above
		last = v
	}
	return last
}

func sortedIter(m map[string]int) []string { return slices.Sorted(maps.Keys(m)) }

func genericSorted[M ~map[string]V, V any](m M) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func sliceRange(s []int) (x int) {
	for _, v := range s {
		x = v
	}
	return x
}
