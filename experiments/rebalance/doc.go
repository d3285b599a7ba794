// Package rebalance is the "rebalance" experiment: under steady load
// (lab.Load), a node joins the cluster, then a whole new zone does, each
// through the operator's stage and apply. For each change it compares the
// partition copies the layout moves (layout.Summary.Moved) with the
// minimum any assignment with the new loads must move, times the
// transition (every node acks the new version, every storage node has
// synced it, the old version is retired everywhere), and in the
// simulator counts the entries actually copied to new replicas against
// the layout's prediction, and their bytes. Client latency is recorded
// over time, the transitions shaded.
//
// Tables: transitions.csv (one row per change), moves.csv (moved versus
// minimum, tidy), rebalance.csv (latency over time), windows.csv,
// checks.csv. Figures: rebalance (success and latency over time) and
// moves. Blocks do not exist yet: bytes moved are the entries' bytes.
package rebalance
