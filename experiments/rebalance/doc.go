// Package rebalance is the "rebalance" experiment: data objects of several
// sizes are stored, then, under steady S3 load (lab.Load), a node joins
// the cluster, then a whole new zone does, each through the operator's
// stage and apply. For each change it compares the partition copies the
// layout moves (layout.Summary.Moved) with the minimum any assignment
// with the new loads must move; counts the copies of the data blocks that
// nodes gained (and their bytes) against the layout's prediction; and
// times the transition (every node acks the new version, every storage
// node has synced it, the old version is retired everywhere, every data
// block sits on exactly its new nodes). Client latency is recorded over
// time, the transitions shaded.
//
// Block holders are read from each node's block manager in the simulator
// and with the admin BlockInfo call elsewhere, so the block counts hold in
// every world.
//
// Tables: transitions.csv (one row per change), moves.csv (moved versus
// minimum and prediction, tidy), rebalance.csv (latency over time),
// windows.csv, checks.csv. Figures: rebalance (success and latency over
// time) and moves.
package rebalance
