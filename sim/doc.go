// Package sim is the deterministic world in which unchanged node code runs:
// a cooperative token-passing scheduler over real goroutines (exactly one
// runs at a time), virtual time, seeded random streams, a simulated network
// driven by netem, simulated clocks and disks, crashes and restarts, and a
// rolling trace hash over every scheduling step.
//
// Same seed, same run, bit for bit: nothing here may read the real clock or
// global randomness, and every choice goes through the seeded streams.
package sim
