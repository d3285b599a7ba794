package crdt

import (
	"fmt"
	"testing"
)

// benchMaps returns two LWW maps of n keys each, sharing half their keys
// with different timestamps.
func benchMaps(n int) (a, b LWWMap[String, Bytes]) {
	v := make(Bytes, 32)
	for i := range n {
		a = a.Put(String(fmt.Sprintf("key%06d", i)), NewLWW(uint64(i), v))
		b = b.Put(String(fmt.Sprintf("key%06d", i+n/2)), NewLWW(uint64(i*7%n), v))
	}
	return a, b
}

func BenchmarkLWWMapMerge(b *testing.B) {
	const n = 1000
	x, y := benchMaps(n)
	for b.Loop() {
		_ = x.Merge(y)
	}
	b.ReportMetric(float64(2*n*b.N)/b.Elapsed().Seconds(), "entries/s")
}

func BenchmarkLWWMapEncodeDecode(b *testing.B) {
	const n = 1000
	x, _ := benchMaps(n)
	var buf []byte
	for b.Loop() {
		buf = x.Encode(buf[:0])
		if _, err := Unmarshal[LWWMap[String, Bytes]](buf); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "entries/s")
}
