// Package node is the root of everything a Garage node is. Code below node/
// runs unchanged in the deterministic simulator and as a real daemon: it
// reaches the world only through the ports of node/rt. Only the real driver
// (node/host) touches goroutines, time, sockets and files directly.
//
// node never imports sim, checker, experiments or plots.
package node
