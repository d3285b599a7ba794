package garage_test

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"testing"
)

// scanSnippet type-checks one file of package p made of header and src
// (stdlib imports only) and scans it.
func scanSnippet(t *testing.T, src string) []finding {
	t.Helper()
	const header = "package p\nimport (\n\t\"slices\"\n\t\"sort\"\n)\nvar _, _ = slices.Sort[[]int], sort.Strings\n"
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", header+src, parser.ParseComments)
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, src)
	}
	p := checkedPackage{Path: "p", Fset: fset, Files: []*ast.File{f}, Info: newInfo()}
	conf := types.Config{Importer: importer.Default()}
	if _, err := conf.Check("p", fset, p.Files, p.Info); err != nil {
		t.Fatalf("type-check: %v\n%s", err, src)
	}
	return scanPackage(scanConfig{}, p)
}

func TestMapRangeForms(t *testing.T) {
	tests := []struct {
		name string
		src  string
		bad  bool // want a map-range finding
	}{
		{"keys sorted", `func f(m map[string]int) []string {
	var ks []string
	for k := range m { ks = append(ks, k) }
	sort.Strings(ks)
	return ks }`, false},
		{"keys sorted after unrelated statements", `func f(m map[string]int) []int {
	var vs []int
	for _, v := range m { vs = append(vs, v, -v) }
	n := len(m)
	slices.SortFunc(vs, func(a, b int) int { return a - b })
	return vs[:n] }`, false},
		{"keys used before sorted", `func f(m map[string]int) []string {
	var ks []string
	for k := range m { ks = append(ks, k) }
	first := ks[0]
	sort.Strings(ks)
	return append(ks, first) }`, true},
		{"keys never sorted", `func f(m map[string]int) []string {
	var ks []string
	for k := range m { ks = append(ks, k) }
	return ks }`, true},
		{"spread append", `func f(m map[string][]int) []int {
	var vs []int
	for _, v := range m { vs = append(vs, v...) }
	slices.Sort(vs)
	return vs }`, true},
		{"integer sums", `func f(m map[string]int) (n, s int, x uint8) {
	for _, v := range m { n++; s += v; x ^= uint8(v) }
	return }`, false},
		{"float sum", `func f(m map[string]float64) (s float64) {
	for _, v := range m { s += v }
	return }`, true},
		{"string concatenation", `func f(m map[string]int) (s string) {
	for k := range m { s += k }
	return }`, true},
		{"sum of sums", `func f(m map[string]int) (a, b int) {
	for _, v := range m { a += v; b += a }
	return }`, true},
		{"count per group", `func f(m map[string]int) map[int]int {
	c := map[int]int{}
	for _, v := range m { c[v%3]++ }
	return c }`, false},
		{"copy at key", `func f(m, out map[string]int) {
	for k, v := range m { out[k] = v + 1 }
	}`, false},
		{"invert", `func f(m map[string]int, out map[int]string) {
	for k, v := range m { out[v] = k }
	}`, true},
		{"prune", `func f(m map[string]int) {
	for k, v := range m { if v < 0 { delete(m, k) } else { continue } }
	}`, false},
		{"delete while counting", `func f(m map[string]int) {
	n := 0
	for k := range m { if n < 2 { delete(m, k); n++ } }
	}`, true},
		{"delete depending on size", `func f(m map[string]int) {
	for k := range m { if len(m) > 2 { delete(m, k) } }
	}`, true},
		{"flag", `func f(m map[string]int) (neg bool) {
	for _, v := range m { if v < 0 { neg = true } }
	return }`, false},
		{"last value", `func f(m map[string]int) (x int) {
	for _, v := range m { x = v }
	return }`, true},
		{"break", `func f(m map[string]int) (n int) {
	for range m { n++; break }
	return }`, true},
		{"call in body", `func g(string) {}
func f(m map[string]int) {
	for k := range m { g(k) }
	}`, true},
		{"call in condition", `func g(int) bool { return true }
func f(m map[string]int) (n int) {
	for _, v := range m { if g(v) { n++ } }
	return }`, true},
		{"assigned key variable", `func f(m map[string]int) (ks []string) {
	var k string
	for k = range m { ks = append(ks, k) }
	slices.Sort(ks)
	return }`, false},
		{"labeled in a case clause", `func f(m map[string]int, on bool) (ks []string) {
	switch {
	case on:
	outer:
		for k := range m { ks = append(ks, k); continue outer }
	}
	return }`, true},
		{"det:ok with reason above", `func f(m map[string]int) (x int) {
	//det:ok all values equal
	for _, v := range m { x = v }
	return }`, false},
		{"det:ok with reason on the line", `func f(m map[string]int) (x int) {
	for _, v := range m { x = v } //det:ok all values equal
	return }`, false},
		{"det:ok without reason", `func f(m map[string]int) (x int) {
	for _, v := range m { x = v } //det:ok
	return }`, true},
		{"slice range", `func f(s []int) (x int) {
	for _, v := range s { x = v }
	return }`, false},
		{"named map type", `type M map[string]int
func f(m M) (x int) {
	for _, v := range m { x = v }
	return }`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []finding
			for _, f := range scanSnippet(t, tt.src) {
				if f.Rule == "map-range" {
					got = append(got, f)
				}
			}
			if (len(got) > 0) != tt.bad {
				t.Errorf("map-range findings %v, want flagged = %v\n%s", got, tt.bad, tt.src)
			}
		})
	}
}
