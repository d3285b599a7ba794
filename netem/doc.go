// Package netem models a network: a zone×zone (or per-pair) one-way latency
// matrix, jitter distributions, loss, bandwidth and partitions.
//
// The model is pure given a random source, so the simulator and the real-mode
// link shaper (a delaying wrapper on real connections) share one model.
// netem is a leaf: it imports no other package of the project.
package netem
