// Package daemon is the real Garage node process: it reads a garage.toml
// style configuration (Config, Load), wires the real ports of node/host (TCP
// with the secret handshake of node/host/secconn, bbolt metadata, files, the
// system clock) to the node code (cluster membership and layout, and a
// generic table of LWW registers sharded by the layout for the CLI's debug
// commands, whose anti-entropy drives the layout's sync tracker), serves the
// admin endpoints the CLI uses (admin.go), and offers the CLI's side of them
// (Client).
//
// Like node/host, daemon belongs to the real driver: it may use goroutines,
// time, os and net. It must not import the simulator, the checker, the
// experiments, the plots or netem.
//
// Invariants: a node's identity is the ed25519 key kept in metadata_dir and
// never changes; only peers that know rpc_secret can reach any endpoint,
// admin ones included; Close stops every goroutine Start began and closes
// the metadata database, so a restarted daemon finds its state intact.
package daemon
