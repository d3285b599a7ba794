package violations

import "maps"

func keysUnsorted(m map[string]int) []string {
	var ks []string
	for k := range m { // want: map-range
		ks = append(ks, k)
	}
	return ks
}

func firstKey(m map[string]int) string {
	for k := range m { // want: map-range
		return k
	}
	return ""
}

func sumFloat(m map[string]float64) (s float64) {
	for _, v := range m { // want: map-range
		s += v
	}
	return s
}

func deleteFirstThree(m map[string]int) {
	n := 0
	for k := range m { // want: map-range
		if n < 3 {
			delete(m, k)
			n++
		}
	}
}

func iterKeys(m map[string]int) (out []string) {
	for k := range maps.Keys(m) { // want: map-range
		out = append(out, k)
	}
	return out
}

func reasonless(m map[string]int) (n int) {
	//det:ok
	for _, v := range m { // want: map-range
		n = v // a det:ok without a reason does not count
	}
	return n
}

func invert(m map[string]int) map[int]string {
	out := map[int]string{}
	for k, v := range m { // want: map-range
		out[v] = k
	}
	return out
}
