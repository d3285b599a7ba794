package plots

// order returns the distinct values of vals: first those of preferred
// that occur in vals, in the order of preferred, then the others in the
// order they first occur.
func order(vals, preferred []string) []string {
	present := map[string]bool{}
	for _, v := range vals {
		present[v] = true
	}
	var out []string
	seen := map[string]bool{}
	for _, v := range append(append([]string(nil), preferred...), vals...) {
		if present[v] && !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

// indexOf maps each name to its position in names.
func indexOf(names []string) map[string]int {
	m := make(map[string]int, len(names))
	for i, n := range names {
		m[n] = i
	}
	return m
}

// seriesOf returns the series column of t as one name per row, or one
// series named "" when column is empty.
func seriesOf(t *Table, column string) ([]string, error) {
	if column == "" {
		return make([]string, t.Len()), nil
	}
	return t.Strings(column)
}
