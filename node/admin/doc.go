// Package admin is the admin HTTP API of a node, in the style of Garage
// v2: /v2/<Operation> endpoints with JSON bodies behind a bearer token
// (admin_token), /metrics in Prometheus' text format (metrics_token, if
// set) and /health (open). It is an HTTP adapter: every operation calls
// the assembled node (garage.Node) in-process, and this package alone maps
// errors to HTTP statuses and JSON error bodies {code, message, path}.
//
// Operations are registered one family per file: cluster.go, layout.go,
// buckets.go, keys.go, workers.go, blocks.go and maintenance.go (repairs
// and statistics) each add their endpoints to the table of New. The
// operations of one node (workers, blocks, repairs, node statistics) take
// Garage v2's ?node= selector ("self" by default, "*", or a node id or
// prefix): they go through the admin RPC endpoints of the nodes selected
// (nodes.go), this node's included, and answer {success, error} per node.
//
// Metrics live in a registry per Server, never the global one. Node code
// exposes plain statistics (health, layout version, table queues, block
// manager figures, bucket and object counts); the collectors of this
// package read them at scrape time, so Prometheus stays out of the node's
// core. The walk of the data directories (bytes and files stored) is
// reused for Config.UsageEvery. The real driver's RPC statistics come in
// through Config.RPCStats.
//
// Rules: this is node code with one exception (DESIGN.md §3): it may
// import net/http. It reads time only through rt.Clock, to measure
// request latencies.
package admin
