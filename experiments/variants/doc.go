// Package variants is the "variants" experiment: design switches measured
// side by side on the same seeds — the timestamp strategy (read the newest
// timestamp before a write, or write at now: optimistic), the consistency
// mode, the replication factor and the partition count. Each variant
// changes one switch of the latency experiment's cluster (5 nodes,
// 100 ms RTT ± 20 ms, RF 3, consistent, 256 partitions) and gives: latency
// per endpoint (the latency measurement), bytes on the simulated wire per
// request, and the runs of a small campaign (register workload under
// partition, clock and crash faults) in which the checker found a
// violation.
//
// Block size and compression join the switches when data blocks exist.
//
// Tables: variants.csv (one row per variant and endpoint), wire.csv (one
// row per variant), violations.csv (one row per variant and nemesis).
// Figures: variants-latency, variants-wire, variants-violations.
package variants
