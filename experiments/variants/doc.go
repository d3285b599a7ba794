// Package variants is the "variants" experiment: design switches measured
// side by side on the same seeds, all through S3 — the timestamp strategy
// of object writes (redo at newest + 1 when a replica reports a newer
// version, or keep the optimistic timestamp: garage.Controls.NoTimestampRedo),
// the consistency mode, the replication factor, the partition count, the
// block size and the compression of blocks. Each variant changes one
// switch of the latency experiment's cluster (5 nodes, 100 ms RTT ± 20 ms,
// links of 100 Mbit/s, RF 3, consistent, 256 partitions, 1 MiB blocks,
// zstd level 1) and gives: latency per endpoint (the latency
// measurement), bytes on the simulated wire per request, the latency of
// 4 MiB objects with the bytes they take on disk and on the wire, and the
// runs of a small campaign of the s3 workload in which the checker found
// a violation.
//
// Tables: variants.csv (one row per variant and endpoint), wire.csv (one
// row per variant), large.csv (one row per variant and large operation),
// large_bytes.csv (stored and wire bytes per large object, tidy),
// violations.csv (one row per variant and nemesis). Figures:
// variants-latency, variants-wire, variants-large, variants-bytes,
// variants-violations.
package variants
