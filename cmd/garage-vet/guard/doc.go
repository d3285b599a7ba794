// Package guard holds the analysers that check the house rules of
// DESIGN.md: the import arrows of §2 and the rules of §3 for code under
// node/ outside the real driver. Each is a golang.org/x/tools/go/analysis
// analyser, tested with analysistest fixtures under testdata/src, and run
// by cmd/garage-vet and by the repository's root test:
//
//   - determinism: goroutines, select, channels, wall-clock time, global
//     and crypto randomness, blocking sync primitives, context
//     constructors that start timers or goroutines, package-level
//     mutable variables;
//   - nodeio: os, syscall and net imports (net/http only in the HTTP
//     adapters), file-system functions of path/filepath, stdout and
//     package-level logging;
//   - maporder: ranges over maps whose order can leak into behaviour;
//   - failpoints: failpoint markers, and pingcap/failpoint outside its
//     wrapper package;
//   - arrows: production imports against the diagram of §2.
//
// Every diagnostic starts with the name of the rule it breaks (see
// Rules). Only production files are judged: test files are exempt, as a
// node package's external test may run it in the simulator. Which
// packages a node analyser judges is set by its -scope and -exempt flags
// (node/ minus node/host and node/daemon by default), so fixtures can
// live under their own paths.
//
// The package holds no mutable state: every call of an analyser's
// constructor returns a fresh analyser with its own flags.
package guard
