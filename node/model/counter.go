package model

import (
	"github.com/gogarage/garage/node/crdt"
	"github.com/gogarage/garage/node/table"
)

// Counts are a bucket's counters: objects with data, their bytes, and
// multipart uploads in progress.
type Counts struct {
	Objects, Bytes, Uploads int64
}

// Add returns c + o.
func (c Counts) Add(o Counts) Counts {
	return Counts{Objects: c.Objects + o.Objects, Bytes: c.Bytes + o.Bytes, Uploads: c.Uploads + o.Uploads}
}

// Sub returns c - o.
func (c Counts) Sub(o Counts) Counts {
	return Counts{Objects: c.Objects - o.Objects, Bytes: c.Bytes - o.Bytes, Uploads: c.Uploads - o.Uploads}
}

// Max returns the greatest of each counter.
func (c Counts) Max(o Counts) Counts {
	return Counts{Objects: max(c.Objects, o.Objects), Bytes: max(c.Bytes, o.Bytes), Uploads: max(c.Uploads, o.Uploads)}
}

// Encode appends the three counters (two's complement, 8 bytes each).
func (c Counts) Encode(b []byte) []byte {
	return appendU64(appendU64(appendU64(b, uint64(c.Objects)), uint64(c.Bytes)), uint64(c.Uploads))
}

// Decode reads Counts.
func (Counts) Decode(b []byte) (Counts, []byte, error) {
	d := decoder{b: b}
	c := Counts{Objects: int64(d.u64()), Bytes: int64(d.u64()), Uploads: int64(d.u64())}
	rest, err := d.done("counts")
	return c, rest, err
}

// Counter is a row of the bucket_object_counter table (sharded by bucket
// id, like the bucket's objects): each node storing the bucket's objects
// publishes the counts of its own replica, as an LWW register per node
// (Garage's index counter). A bucket's counts are the greatest published
// by the nodes that store it now.
type Counter struct {
	Bucket UUID
	Nodes  crdt.LWWMap[crdt.String, Counts]
}

var _ table.Entry[Counter] = Counter{}

// PartitionKey is the bucket id.
func (c Counter) PartitionKey() []byte { return c.Bucket[:] }

// SortKey is empty.
func (Counter) SortKey() []byte { return nil }

// Merge merges the registers.
func (c Counter) Merge(o Counter) Counter {
	return Counter{Bucket: c.Bucket, Nodes: c.Nodes.Merge(o.Nodes)}
}

// Encode appends the bucket id and the registers.
func (c Counter) Encode(b []byte) []byte { return c.Nodes.Encode(c.Bucket.Encode(b)) }

// Decode reads a Counter.
func (Counter) Decode(b []byte) (Counter, []byte, error) {
	d := decoder{b: b}
	c := Counter{Bucket: read[UUID](&d), Nodes: read[crdt.LWWMap[crdt.String, Counts]](&d)}
	rest, err := d.done("counter")
	return c, rest, err
}

// Among returns the greatest counts published by the nodes named.
func (c Counter) Among(nodes []string) Counts {
	var out Counts
	for _, n := range nodes {
		if v, ok := c.Nodes.Get(crdt.String(n)); ok {
			out = out.Max(v)
		}
	}
	return out
}
