package maporder

import (
	"maps"
	"reflect"
	"sync"
)

func keysUnsorted(m map[string]int) []string {
	var ks []string
	for k := range m { // want "map-range: range over map m"
		ks = append(ks, k)
	}
	return ks
}

func firstKey(m map[string]int) string {
	for k := range m { // want "map-range: range over map m"
		return k
	}
	return ""
}

func sumFloat(m map[string]float64) (s float64) {
	for _, v := range m { // want "map-range: range over map m"
		s += v
	}
	return s
}

func deleteFirstThree(m map[string]int) {
	n := 0
	for k := range m { // want "map-range: range over map m"
		if n < 3 {
			delete(m, k)
			n++
		}
	}
}

func iterKeys(m map[string]int) (out []string) {
	for k := range maps.Keys(m) { // want `map-range: range over map maps.Keys\(m\)`
		out = append(out, k)
	}
	return out
}

func iterAll(m map[string]int) (out []string) {
	for k := range maps.All(m) { // want "map-range: range over map maps.All"
		out = append(out, k)
	}
	return out
}

func reasonless(m map[string]int) (n int) {
	//det:ok
	for _, v := range m { // want "map-range: range over map m"
		n = v // a det:ok without a reason does not count
	}
	return n
}

func invert(m map[string]int) map[int]string {
	out := map[int]string{}
	for k, v := range m { // want "map-range: range over map m"
		out[v] = k
	}
	return out
}

// Iteration hidden behind a type parameter, sync.Map or reflect.

func genericKeys[M ~map[string]int](m M) (out []string) {
	for k := range m { // want "map-range: range over map m"
		out = append(out, k)
	}
	return out
}

type mapLike interface{ ~map[int]bool }

func genericNamedConstraint[M mapLike](m M) (n int) {
	for i := range m { // want "map-range: range over map m"
		n = i
	}
	return n
}

func syncMap(sm *sync.Map) {
	sm.Range(func(k, v any) bool { return true }) // want "map-range: iteration by sync.Map.Range"
}

func reflectKeys(m map[string]int) int {
	return len(reflect.ValueOf(m).MapKeys()) // want "map-range: iteration by reflect.Value.MapKeys"
}

func reflectIter(m map[string]int) *reflect.MapIter {
	return reflect.ValueOf(m).MapRange() // want "map-range: iteration by reflect.Value.MapRange"
}

func justifiedSyncMap(sm *sync.Map) {
	//det:ok every entry is visited and counted alike
	sm.Range(func(k, v any) bool { return true })
}
