// Package endpoint names the S3 endpoints the experiments measure
// (ListBuckets, ListObjects, GetObject, PutObject, RemoveObject), declares
// the client an experiment sends them through, and holds the published
// reference latencies the figures draw beside ours.
//
// S3 is the client: each endpoint is one signed S3 request of package
// s3client (ListBuckets: GET /; ListObjects: the first ListObjectsV2
// page; GetObject; PutObject; RemoveObject: DeleteObject), served by the
// node's S3 handler — called in the client's task in the simulator, over
// HTTP for real processes and deployed clusters. Every CSV's api column
// says which request and which path.
//
// Rounds is the seed's measurement: one request at a time, each endpoint
// in turn, every latency recorded as a workload.Op whose Kind is the
// endpoint's name. Registers runs the register workload on the objects of
// a bucket through a Client.
//
// What it must not do: start, stop or configure a cluster; hold a clock of
// its own (time comes from the caller's workload.Env).
package endpoint
