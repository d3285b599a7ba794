// Package checker judges recorded histories of the store: read-after-write
// per key (porcupine, plus a direct sweep that must agree with it),
// plain per-key linearizability as a canary, list-after-write for sets,
// durability of acknowledged writes, LWW timestamp monotonicity, and
// convergence of replica digests after faults heal. It renders failing
// histories as porcupine HTML annotated with nemesis events, and sums
// verdicts over campaigns in a Report.
//
// checker is a leaf: it imports the standard library and porcupine, never
// another package of the project. It has no package-level mutable state.
// Every check has negative controls in its tests that it must catch.
//
// # History format
//
// A history is a file of JSON lines. Each line holds exactly one of "meta"
// (free-form strings: seed, workload, commit), "op" (one operation, with
// its call and its return) or "nemesis" (a fault event, kept for
// annotation only). WriteHistory writes meta first, then ops and nemesis
// events in stamp order; ReadHistory ignores unknown fields.
//
//	{"meta":{"seed":"42","workload":"register"}}
//	{"op":{"id":1,"client":0,"kind":"put","key":"k1","value":"v1","ts":1700000000001,"outcome":"ok","call":1,"return":4}}
//	{"op":{"id":2,"client":1,"kind":"get","key":"k1","observed":["v1"],"outcome":"ok","call":2,"return":5}}
//	{"nemesis":{"stamp":3,"kind":"partition","desc":"{n1,n2} | {n3}"}}
//	{"op":{"id":3,"client":2,"kind":"delete","key":"k1","outcome":"unknown","call":6,"return":"inf"}}
//	{"op":{"id":4,"client":3,"kind":"get","key":"k1","outcome":"ok","call":7,"return":8,"final":true}}
//	{"op":{"id":5,"client":0,"kind":"add","set":"s0","key":"e1","outcome":"ok","call":9,"return":10}}
//	{"op":{"id":6,"client":3,"kind":"list","set":"s0","observed":["e1"],"outcome":"ok","call":11,"return":12,"more":true}}
//	{"op":{"id":7,"client":3,"kind":"list","set":"s0","outcome":"ok","call":13,"return":14,"listing":6}}
//
// Op fields:
//
//   - id: unique per history. client: the logical client; a client has one
//     op in flight at a time, and a worker whose op timed out continues
//     under a new client id (Recorder does this).
//   - kind: any string; a Vocabulary maps kinds to Roles (read, write,
//     delete, add, remove, list). DefaultVocabulary knows put/get/delete,
//     add/remove/list and the S3 operations (PutObject is write|add,
//     DeleteObject delete|remove, ListObjectsV2 a list page, ...). New
//     operation kinds plug in by adding to the vocabulary; checks see roles.
//   - set, key: registers are named by set/key (Op.Register; set is empty
//     for the register workload, the bucket for S3). For set ops key is the
//     element and set the set (the bucket's listing, a table partition).
//   - value: the value a write wrote; unique per register across the
//     history, since checks identify the write a read saw by its value. A
//     delete has no value: it writes "absent".
//   - observed: what a read saw (empty: absent; several: any of them), or
//     the elements on a list page.
//   - ts: the LWW timestamp the system assigned to a write, when known.
//   - outcome: "ok", "fail" (certainly no effect — if in doubt, say
//     unknown) or "unknown" (timeout: may or may not have taken effect).
//   - call, return: logical stamps from one strictly increasing counter
//     shared by all events; return is "inf" exactly when outcome is
//     unknown (porcupine's convention).
//   - listing, more: pages of one listing share listing (the id of its
//     first page; 0 on a one-page listing); more is true on every page but
//     the last. A listing is the union of its pages, from the first call
//     to the last return, and is complete when every page is ok and the
//     last has more == false.
//   - final: the op belongs to the final phase (after heal and
//     convergence); durability and "lost" judge final reads and listings.
//     History.MarkFinal sets it for everything invoked after a stamp.
//
// # Checks
//
// ReadAfterWrite (porcupine, one small search per read: the writes of the
// register plus that read) and ReadAfterWriteSweep (direct) are gates and
// agree on every read; Linearizability (whole register history) and
// GlobalTimestampMonotonicity are canaries, reported but never gates.
// ListAfterWrite, Durability, TimestampMonotonicity (per register) and
// Convergence (Digests: replica -> partition -> root) are gates. CheckAll
// runs all history checks; Report prints per-check counts over many runs.
package checker
