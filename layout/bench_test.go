package layout

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"
)

// benchCluster is n storage nodes over three zones with capacities between
// 1 and 16 TB, the shape of Garage's scaling experiments.
func benchCluster(n int) []Member {
	r := rand.New(rand.NewPCG(uint64(n), 42))
	ms := make([]Member, n)
	for i := range ms {
		ms[i] = Member{
			ID:   NodeID(fmt.Sprintf("node%04d", i)),
			Role: StorageRole(fmt.Sprintf("dc%d", i%3), (1+r.Int64N(16))*1e12),
		}
	}
	return ms
}

// BenchmarkCompute times a first assignment (no previous version) of 256
// partitions, RF 3, maximum zone redundancy.
func BenchmarkCompute(b *testing.B) {
	for _, n := range []int{10, 50, 100, 250} {
		ms := benchCluster(n)
		b.Run(fmt.Sprintf("nodes=%d", n), func(b *testing.B) {
			for b.Loop() {
				if _, err := Compute(1, ms, DefaultParams(3), nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRecompute times the assignment after adding a node, minimising
// movement against the previous version, and reports the replicas moved.
func BenchmarkRecompute(b *testing.B) {
	for _, n := range []int{10, 50, 100, 250} {
		ms := benchCluster(n)
		prev, err := Compute(1, ms, DefaultParams(3), nil)
		if err != nil {
			b.Fatal(err)
		}
		next := append(ms, Member{ID: "added", Role: StorageRole("dc1", 8e12)})
		b.Run(fmt.Sprintf("nodes=%d", n), func(b *testing.B) {
			var v Version
			for b.Loop() {
				if v, err = Compute(2, next, DefaultParams(3), &prev); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(moves(&prev, &v)), "moved")
		})
	}
}

// BenchmarkComputeShapes times harder shapes: more zones and a higher RF
// with partial zone redundancy, and more partitions.
func BenchmarkComputeShapes(b *testing.B) {
	shapes := []struct {
		name   string
		n, z   int
		params Params
	}{
		{"nodes=250/zones=6/rf=5/atleast=2", 250, 6, Params{Replication: 5, Redundancy: AtLeast(2), PartitionBits: 8}},
		{"nodes=250/zones=6/rf=5/max", 250, 6, Params{Replication: 5, PartitionBits: 8}},
		{"nodes=100/zones=3/rf=3/partitions=1024", 100, 3, Params{Replication: 3, PartitionBits: 10}},
	}
	for _, s := range shapes {
		r := rand.New(rand.NewPCG(1, 1))
		ms := make([]Member, s.n)
		for i := range ms {
			ms[i] = Member{ID: NodeID(fmt.Sprintf("node%04d", i)), Role: StorageRole(fmt.Sprintf("dc%d", i%s.z), (1+r.Int64N(16))*1e12)}
		}
		b.Run(s.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := Compute(1, ms, s.params, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// benchHistory is a history in transition, the case gossip and persistence
// hit most: three live versions of about 50 storage nodes named by 64 hex
// digits, 256 partitions, RF 3, a gateway, trackers for every node and a
// pending staging.
func benchHistory(b *testing.B) *History {
	r := rand.New(rand.NewPCG(7, 8))
	h, err := NewHistory(3, DefaultPartitionBits)
	must(b, err)
	ids := make([]NodeID, 60)
	for i := range ids {
		ids[i] = hexID(r)
	}
	for i, m := range benchCluster(50) {
		must(b, h.Assign(ids[i], m.Role, 1))
	}
	must(b, h.Assign(ids[50], GatewayRole("dc0", "s3"), 1))
	applyNext(b, h, 2)
	completeTransition(b, h)
	for i, id := range ids[51:54] {
		must(b, h.Assign(id, StorageRole(fmt.Sprintf("dc%d", i), 8e12, "new"), 3))
	}
	applyNext(b, h, 4)
	must(b, h.Remove(ids[0], 5))
	applyNext(b, h, 6)
	for _, id := range h.AllNodes() {
		h.Ack(id, 3)
		h.Synced(id, 2)
	}
	must(b, h.Assign(ids[55], StorageRole("dc1", 4e12), 7))
	return h
}

// codec is a format the codec benchmarks compare.
type codec struct {
	name   string
	encode func(h *History) ([]byte, error)
}

// codecs returns Format 2 and, for comparison, the JSON of Format 1.
func codecs() []codec {
	return []codec{
		{"format=2", (*History).Encode},
		{"format=1-json", func(h *History) ([]byte, error) { return json.Marshal(envelope{Format: formatJSON, History: h}) }},
	}
}

// BenchmarkEncodeHistory times the encoding of benchHistory in each format
// and reports its size.
func BenchmarkEncodeHistory(b *testing.B) {
	h := benchHistory(b)
	if n := len(h.Versions); n != 3 {
		b.Fatalf("%d live versions, want 3", n)
	}
	for _, c := range codecs() {
		b.Run(c.name, func(b *testing.B) {
			var enc []byte
			for b.Loop() {
				enc, _ = c.encode(h)
			}
			b.ReportMetric(float64(len(enc)), "bytes")
		})
	}
}

// BenchmarkDecodeHistory times DecodeHistory (parse and check) on
// benchHistory in each format.
func BenchmarkDecodeHistory(b *testing.B) {
	h := benchHistory(b)
	for _, c := range codecs() {
		enc, err := c.encode(h)
		must(b, err)
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := DecodeHistory(enc); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(enc)), "bytes")
		})
	}
}
