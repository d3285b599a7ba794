package lab

import (
	"time"

	"github.com/gogarage/garage/experiments/results"
	"github.com/gogarage/garage/experiments/workload"
)

// LatencyColumns are the columns of one latency aggregate, in the order
// of LatencyCells: requests answered, requests failed, then mean, min,
// p50, p99 and max in milliseconds.
func LatencyColumns() []results.Column {
	return []results.Column{results.Int("n", ""), results.Int("failed", ""),
		results.Duration("mean", "ms", 3), results.Duration("min", "ms", 3), results.Duration("p50", "ms", 3),
		results.Duration("p99", "ms", 3), results.Duration("max", "ms", 3)}
}

// LatencyCells are the cells of s under LatencyColumns; the latencies of
// an aggregate without an answered request are empty.
func LatencyCells(s workload.Stats) []any {
	if s.N == 0 {
		return []any{0, s.Failed, nil, nil, nil, nil, nil}
	}
	return []any{s.N, s.Failed, s.Mean, s.Min, s.P50, s.P99, s.Max}
}

// Ms is d in milliseconds, for goals.
func Ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// Cols concatenates column lists, for tables that prefix LatencyColumns
// with their keys.
func Cols(lists ...[]results.Column) []results.Column {
	var out []results.Column
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// Row concatenates cell lists, as Cols does columns.
func Row(lists ...[]any) []any {
	var out []any
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}
