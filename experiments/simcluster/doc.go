// Package simcluster boots a cluster of assembled Garage nodes
// (garage.New, the same assembly the daemon runs) in a simulated world,
// and operates it the way an operator operates a real one: through the
// admin endpoints (garage.Admin) that the CLI calls. An operator task
// stages a role for every node (zone and capacity) and applies layout
// version 1; Boot returns once every node has it and sees every other
// node up. Layout changes during a run (the layout nemesis) go through
// the same admin calls.
//
// Nodes are named n1…nN and spread over zones z1…zZ round-robin; every
// node but n1 bootstraps from n1, and membership, failure detection and
// gossip run as they do on real nodes.
package simcluster
