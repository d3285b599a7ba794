package workload

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Stats summarises the latencies of one operation kind.
type Stats struct {
	Kind                     string
	N, Failed                int
	Mean, Min, P50, P99, Max time.Duration
}

// Summarise computes per-kind latency statistics over acknowledged
// operations, for the kinds that occur, in the order of kinds (then any
// other kind, sorted).
func Summarise(ops []Op, kinds ...string) []Stats {
	by := map[string][]time.Duration{}
	failed := map[string]int{}
	for _, o := range ops {
		if o.OK {
			by[o.Kind] = append(by[o.Kind], o.Latency())
		} else {
			failed[o.Kind]++
		}
	}
	var out []Stats
	for _, k := range orderKinds(kinds, by, failed) {
		out = append(out, stats(k, by[k], failed[k]))
	}
	return out
}

// orderKinds lists kinds first, then the other kinds seen, sorted.
func orderKinds(kinds []string, by map[string][]time.Duration, failed map[string]int) []string {
	var rest []string
	for _, m := range []map[string]int{lens(by), failed} {
		for k := range m {
			if !slices.Contains(kinds, k) && !slices.Contains(rest, k) {
				rest = append(rest, k)
			}
		}
	}
	slices.Sort(rest)
	return append(slices.Clone(kinds), rest...)
}

func lens(by map[string][]time.Duration) map[string]int {
	m := make(map[string]int, len(by))
	for k, v := range by {
		m[k] = len(v)
	}
	return m
}

func stats(kind string, ds []time.Duration, failed int) Stats {
	s := Stats{Kind: kind, N: len(ds), Failed: failed}
	if len(ds) == 0 {
		return s
	}
	slices.Sort(ds)
	var sum time.Duration
	for _, d := range ds {
		sum += d
	}
	s.Mean, s.Min, s.Max = sum/time.Duration(len(ds)), ds[0], ds[len(ds)-1]
	s.P50, s.P99 = ds[len(ds)/2], ds[min(len(ds)-1, len(ds)*99/100)]
	return s
}

// FormatStats renders stats as an aligned table (milliseconds).
func FormatStats(ss []Stats) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-7s %5s %6s %9s %9s %9s %9s %9s\n", "op", "n", "failed", "mean_ms", "min_ms", "p50_ms", "p99_ms", "max_ms")
	for _, s := range ss {
		fmt.Fprintf(&b, "%-7s %5d %6d %9.1f %9.1f %9.1f %9.1f %9.1f\n", s.Kind, s.N, s.Failed,
			ms(s.Mean), ms(s.Min), ms(s.P50), ms(s.P99), ms(s.Max))
	}
	return b.String()
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
