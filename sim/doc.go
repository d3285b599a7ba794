// Package sim is the deterministic world in which unchanged node code runs:
// a cooperative token-passing scheduler over real goroutines (exactly one
// runs at a time), virtual time, seeded random streams, a simulated network
// driven by netem, simulated clocks and disks, crashes and restarts, and a
// rolling trace hash over every scheduling step.
//
// Same seed, same run, bit for bit: nothing here may read the real clock or
// global randomness, and every choice goes through the seeded streams.
//
// # Scheduler
//
// A World holds tasks: node tasks (boot, Tasks.Spawn, RPC handlers) and
// world tasks (World.Go, World.At). Every blocking point of node/rt —
// Event.Wait, Clock.Sleep, Net.Call, a contended Mutex.Lock, task exit —
// ends the task's step: the next task is picked uniformly among the
// runnable ones with the "scheduler" stream and, when none is runnable,
// virtual time moves to the earliest timer (a heap ordered by (when, seq))
// and every timer due then fires. Tasks are coroutines (iter.Pull): the
// goroutine calling Run resumes the task picked, which runs until its
// next blocking point, picks the next task itself and keeps running if it
// picked itself, or switches back (a direct coroutine switch, not a trip
// through the Go scheduler). Each step folds (step, task id, virtual time,
// why the task stopped) into the trace hash. Task goroutines are reused.
//
// # Streams
//
// Rand streams are xoshiro256** seeded through splitmix64 from a hash of
// (root seed, stream name): "scheduler", "network", "faults",
// "node/<id>" (the node's rt.Rand) and any name a workload asks for with
// World.Rand. Adding a node or a stream never shifts another.
//
// # Contexts
//
// Tasks.WithCancel/WithTimeout return sim contexts: cancellation, explicit
// or by a virtual-time timer, wakes every task blocked with the context or
// a descendant. They implement AfterFunc, so children made by the context
// package (WithValue, WithCancel) follow synchronously. Blocking with a
// context that can be cancelled outside the scheduler (a context.WithCancel
// child, a real timeout) panics; Background, TODO and WithValue wrappers of
// sim contexts are fine. Sim contexts report no Deadline.
//
// # Network
//
// Net.Call asks the netem model about the request (payload plus
// MessageOverhead bytes), runs the handler in a new task of the callee at
// delivery, and sends the reply back the same way. A lost message, a
// partition or a crashed callee surfaces as rt.ErrTimeout at the caller's
// deadline; an unknown endpoint as rt.ErrNoHandler (after a round trip);
// a handler error as *rt.RemoteError. Duplicated requests run the handler
// twice; the first reply wins. Calls to self run the handler inline. On a
// link with finite bandwidth, messages wait in per-priority queues in
// front of the model: the most urgent waiting message takes the wire first.
//
// # Nodes, crashes, disks
//
// AddNode boots a node; Crash drops its unsynced disk writes, unwinds its
// tasks (a panic the scheduler recovers, raised when they are next
// resumed: deferred calls run, no goroutine is left behind; node code
// must not swallow it with a bare recover), drops its handlers and fails
// calls made through its Env by other tasks with rt.ErrUnreachable — as
// well as their waits on the node's events (a quorum or future run through the node's Env); Restart
// boots a new incarnation over the durable state. Pause stops a node as
// SIGSTOP would: its timers come due, messages reach it and its wall clock
// runs on, but none of its tasks (nor the callbacks of its started calls)
// runs until Resume; held tasks count as blocked, and Crash unwinds them.
// Disks (package sim/disk)
// keep a durable and a pending layer; Config.FsyncLatency makes syncs
// blocking points that take virtual time. Clocks (ClockCtl) have an offset, a drift and steps; Mono
// and Sleep use unskewed virtual time. Failpoints are armed with World.Arm
// and drawn on the "faults" stream.
//
// # Debugging
//
// A failing run returns a *Failure whose text ends with the replay command.
// Lockstep runs a seed twice and names the first step where the runs part.
// Logs (Config.Log) are stamped with virtual time and node id.
//
// A task that holds an rt.Mutex at a blocking point fails the run
// (Config.MutexSites names the Lock call). A task that blocks on a raw
// channel or a sync primitive stalls the whole world: only rt blocking
// points hand the token back.
package sim
