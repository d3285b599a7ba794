// Package fidelity is the "fidelity" experiment: the latency measurement
// run in the simulator and on real processes (--real, the default: garage
// server processes on loopback shaped by netem to the same RTT and
// jitter) or on a target (--target, whose file gives the RTT and jitter
// for the simulated twin), per endpoint mean, p50 and p99 side by side with
// their ratio: how far the simulator's figures can be trusted.
//
// Tables: latency.csv (one row per endpoint and world), fidelity.csv (one
// row per endpoint and statistic: simulated, measured, ratio). Figure:
// fidelity (bars: mean per endpoint and world, error bars min–max).
package fidelity
