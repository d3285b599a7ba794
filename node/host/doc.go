// Package host is the real driver of the node/rt ports: goroutines, the
// system clock, an operating-system random source, files on disk and
// message RPC over TCP. It is the one place under node/ allowed to use go
// statements, channels, select, time, os and net.
//
// Start builds a Node (an rt.Env plus the handles that own its resources)
// from a Config. The parts are usable on their own: Clock, Rand, Tasks,
// Files and Net.
//
// Net speaks a small framed protocol (frame.go) over one TCP connection per
// peer pair (conn.go tells how simultaneous dials settle on one without
// failing a call). Identity comes from a hello frame, or from a ConnHook
// (the secret handshake of node/host/secconn) that replaces the plain
// hello's trust; WrapConn lets a link shaper delay traffic on real
// sockets. Each connection has one writer that sends the most urgent queued
// frame first and cuts messages into chunks (64 KiB by default), so a
// high-priority frame waits for at most one chunk of bulk data; on Linux
// the kernel's unsent queue is capped (TCP_NOTSENT_LOWAT) so that bulk data
// does not pile up in a FIFO below the writer. Net is also an rt.Starter:
// a started call's done runs on the reader goroutine, a timer or the
// closing connection, outside any task, as in the simulator (start.go). A
// handler's context ends at the caller's deadline (the remaining budget
// travels in the request), when the caller cancels (a cancel frame) and at
// shutdown, when its failure reaches the caller as rt.ErrUnreachable.
//
// Invariants: every goroutine the package starts is tracked and stopped by
// Net.Close or Tasks.Stop; a malformed or hostile frame closes the
// connection or gets an error reply, never a crash; a panicking handler
// becomes an error reply. Nothing here is deterministic: determinism
// belongs to sim/.
package host
