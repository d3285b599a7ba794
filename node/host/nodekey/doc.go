// Package nodekey owns a node's long-term identity: an ed25519 key pair kept
// in the node's metadata directory, and the node id derived from it.
//
// The secret key lives in the file "node_key" (64 bytes: the 32-byte seed
// followed by the 32-byte public key, the layout Garage uses) with mode 0600;
// the public key is also written to "node_key.pub" for operators. The pair is
// created on first start and never rewritten afterwards.
//
// Invariants: a loaded key always matches its stored public half; a key file
// readable by group or others is refused rather than trusted; creation is
// atomic (a crash leaves either no key or a complete one) and two processes
// racing on first start end up with the same key.
//
// A node id (rt.NodeID) is the lowercase hex of the public key, 64
// characters. nodekey belongs to the real driver (node/host): it does file
// I/O and reads crypto/rand.
package nodekey
