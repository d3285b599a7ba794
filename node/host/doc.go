// Package host is the real driver of the node/rt ports: goroutines, the
// system clock, an operating-system random source, files on disk and
// message RPC over TCP. It is the one place under node/ allowed to use go
// statements, channels, select, time, os and net.
//
// Start builds a Node (an rt.Env plus the handles that own its resources)
// from a Config. The parts are usable on their own: Clock, Rand, Tasks,
// Files and Net.
//
// Net speaks a small framed protocol over one TCP connection per peer pair
// (see frame.go for the wire format and conn.go for the connection life
// cycle). Identity is established by a hello frame, or by a ConnHook (the
// secret handshake of node/host/secconn) that replaces the plain hello's
// trust. WrapConn lets a link shaper delay traffic on real sockets.
//
// Invariants: every goroutine the package starts is tracked and stopped by
// Close or Stop; a malformed or hostile frame closes the connection or gets
// an error reply, never a crash; a panicking handler becomes an error reply.
// Nothing here is deterministic: determinism belongs to sim/.
package host
