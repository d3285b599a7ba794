package lab

import (
	"slices"
	"time"

	"github.com/gogarage/garage/experiments/endpoint"
	"github.com/gogarage/garage/experiments/results"
	"github.com/gogarage/garage/experiments/workload"
)

// Bucket aggregates the requests of one endpoint started within one time
// bucket of a load.
type Bucket struct {
	Start    time.Duration // since the load started
	Endpoint string
	Attempts int
	OK       int
	P50, Max time.Duration // of the answered requests
}

// Buckets groups the load's requests (final reads and requests started
// before t0 excluded) by endpoint and
// by time bucket of width from t0, in time then endpoint order; buckets
// without a request are left out.
func Buckets(ops []workload.Op, t0, width time.Duration) []Bucket {
	type key struct {
		at int
		ep string
	}
	lat := map[key][]time.Duration{}
	attempts := map[key]int{}
	for _, o := range ops {
		if o.Final || o.Start < t0 || endpoint.OfKind(o.Kind) == "" {
			continue
		}
		k := key{int((o.Start - t0) / width), string(endpoint.OfKind(o.Kind))}
		attempts[k]++
		if o.OK {
			lat[k] = append(lat[k], o.Latency())
		}
	}
	var out []Bucket
	for k, n := range attempts {
		b := Bucket{Start: time.Duration(k.at) * width, Endpoint: k.ep, Attempts: n, OK: len(lat[k])}
		if ds := lat[k]; len(ds) > 0 {
			slices.Sort(ds)
			b.P50, b.Max = ds[len(ds)/2], ds[len(ds)-1]
		}
		out = append(out, b)
	}
	order := endpoint.Strings(endpoint.All())
	slices.SortFunc(out, func(a, b Bucket) int {
		if a.Start != b.Start {
			return int(a.Start - b.Start)
		}
		return slices.Index(order, a.Endpoint) - slices.Index(order, b.Endpoint)
	})
	return out
}

// SeriesTable is a time series of buckets: t_s (start of the bucket),
// endpoint, attempts, answered, success in percent, p50 and max latency
// (empty without an answered request).
func SeriesTable(name string, bs []Bucket) *results.Table {
	t := results.NewTable(name, results.Duration("t", "s", 3), results.Text("endpoint"), results.Int("attempts", ""),
		results.Int("ok", ""), results.Float("success", "pct", 2), results.Duration("p50", "ms", 3),
		results.Duration("max", "ms", 3))
	for _, b := range bs {
		var p50, mx any
		if b.OK > 0 {
			p50, mx = b.P50, b.Max
		}
		if err := t.Add(b.Start, b.Endpoint, b.Attempts, b.OK, Pct(b.OK, b.Attempts), p50, mx); err != nil {
			panic(err)
		}
	}
	return t
}

// Pct is 100·a/b rounded to two decimals (100 when b is 0: nothing failed).
func Pct(a, b int) float64 {
	if b == 0 {
		return 100
	}
	return float64(int64(10000*float64(a)/float64(b)+0.5)) / 100
}
