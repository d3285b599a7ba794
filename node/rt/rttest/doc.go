// Package rttest holds the conformance suites that every implementation of a
// node/rt port runs: TestKV for rt.KV (metadata engines) and TestFiles
// for rt.Files (block stores). A backend's own test calls the suite with a
// constructor of fresh, empty instances; each property is a named subtest, so
// a failure names the broken rule.
//
// The world suites, TestNet, TestTasks (with futures, quorums and
// rt.Semaphore), TestClock and TestStarter, hold both drivers to one
// behaviour: sim and node/host each pass a NewCluster that builds a few
// nodes of their world (virtual time; loopback TCP and real time), and the
// same cases run on both. They compare outcomes and orders of events, never
// wall-clock durations, apart from "Sleep lasts at least d". Plant wraps a
// world's ports with a deliberate divergence (PlantedBugs), and each driver
// checks that the suites catch every one. Points of the contract they pin
// down beyond node/rt's text: a call to the node itself honours its timeout
// and drops a late outcome; a handler's context ends at the caller's
// deadline and soon after the caller cancels; a call to a stopped node ends
// with rt.ErrUnreachable or rt.ErrTimeout, and a call from one with
// rt.ErrUnreachable; Starter's done runs where rt.Starter says.
//
// Besides what node/rt states, the suites pin down these points of the
// contract, on which node code may rely:
//
//   - Get returns nil for a missing key (or missing tree) and a non-nil empty
//     slice for a key stored with an empty value; Put with a nil value stores
//     an empty value.
//   - Put copies key and value: the caller may reuse its buffers at once.
//     Slices returned by Get and passed to Scan callbacks are owned by the
//     engine and valid only until the transaction ends; callers copy what they
//     keep and never write to them.
//   - Keys are ordered by bytes.Compare, including keys with 0x00 and 0xff
//     bytes; trees are fully isolated, whatever their names.
//   - An Update whose fn returns an error discards every write of the
//     transaction, including the creation of new trees, and returns an error
//     wrapping fn's.
//   - A View started while an Update is running (from the same task) sees
//     the last committed state, never the Update's pending writes.
//   - Files.Write copies data before returning and Files.Read returns a
//     fresh slice that the caller owns.
//   - Files.List sorts full names as strings (so "a.b" < "a/b" < "a0"), lists
//     only files, and matches prefix as a plain string prefix, not by path
//     component.
//   - Files.Stat of a name that is only a directory of other files fails
//     with fs.ErrNotExist; ListPage pages in List's order, after need not
//     be an existing name, and a non-positive limit is an error.
//
// Left unspecified (and untested): empty keys and tree names, writing to a
// tree while scanning it, nested Updates, file names with "." or ".."
// components or a leading slash.
//
// rttest imports testing and is meant for _test.go files only.
package rttest
