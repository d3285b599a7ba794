// Package endpoint names the S3 endpoints the experiments measure
// (ListBuckets, ListObjects, GetObject, PutObject, RemoveObject), declares
// the client an experiment sends them through, and holds the published
// reference latencies the figures draw beside ours.
//
// Until the S3 API lands, Debug implements the client over the assembled
// node's debug table, through the workload package's clients (workload.Node
// in the simulator, workload.Admin over the RPC mesh for real processes and
// deployed clusters). The mapping, written in every CSV's api column:
//
//	ListBuckets  ≈ the node's status, read locally (no other node asked)
//	ListObjects  ≈ one page of the bucket's listing (a quorum range read)
//	GetObject    ≈ a register get (a quorum read)
//	PutObject    ≈ a register put (read of the newest timestamp, then a quorum write)
//	RemoveObject ≈ a register delete (the same, writing a tombstone)
//
// An object (bucket, key) is the debug-table entry (partition key bucket,
// sort key key), so that a listing of the bucket sees the objects put in
// it. The S3 client replaces Debug without changing any experiment.
//
// Rounds is the seed's measurement: one request at a time, each endpoint
// in turn, every latency recorded as a workload.Op whose Kind is the
// endpoint's name.
//
// What it must not do: start, stop or configure a cluster; hold a clock of
// its own (time comes from the caller's workload.Env).
package endpoint
