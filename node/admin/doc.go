// Package admin is the admin HTTP API of a node, in the style of Garage
// v2: /v2/<Operation> endpoints with JSON bodies behind a bearer token
// (admin_token), /metrics in Prometheus' text format (metrics_token, if
// set) and /health (open). It is an HTTP adapter: every operation calls
// the assembled node (garage.Node) in-process, and this package alone maps
// errors to HTTP statuses and JSON error bodies {code, message, path}.
//
// Operations are registered one family per file (cluster.go, layout.go):
// each file adds its endpoints to the table of New, so adding buckets,
// keys, workers or blocks is a file each.
//
// Metrics live in a registry per Server, never the global one. Node code
// exposes plain statistics (health, layout version, table queues); the
// collectors of this package read them at scrape time, so Prometheus stays
// out of the node's core. The real driver's RPC statistics come in through
// Config.RPCStats.
//
// Rules: this is node code with one exception (DESIGN.md §3): it may
// import net/http. It reads time only through rt.Clock, to measure
// request latencies.
package admin
