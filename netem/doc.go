// Package netem models a network: nodes registered in zones, a zone×zone
// (or per-pair) one-way latency matrix, jitter distributions (uniform,
// normal, Pareto, lognormal), loss, duplication, bandwidth with per-link
// serialisation queues and per-node uplinks, per-link FIFO, and partitions
// (symmetric, one-way, zone and node isolation, random majority/minority).
// Presets reproduce the setups of Garage's benchmarks (Garage5, ThreeDCs).
//
// The Model is pure given a random source: the same sequence of calls with
// the same Rand gives the same fates, and no map iteration order reaches a
// result. It reads no clock; time comes in as the now argument of Send. The
// simulator drives it with its seeded network stream and virtual time; the
// real-mode Shaper drives the same model (or a Clone) with real time and a
// locally seeded source, delaying the bytes written on real connections.
//
// Conventions: latencies are one-way unless a name says RTT; SetRTT(s, d)
// sets d/2 each way. Bandwidths are in bytes per second, 0 meaning
// unlimited. Settings resolve node link > zone link > all links.
//
// netem is a leaf: it imports no other package of the project. Only the
// Shaper (shaper.go, conn.go, deliver.go, listen.go) starts goroutines or
// touches the network and a clock (the system clock unless WithClock gives
// another, as tests do to check delays exactly); Shaper.Close stops them
// all.
package netem
