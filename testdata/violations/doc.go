// Package violations plants one instance of each construct the node source
// scan bans (DESIGN.md §3). Each offending line ends with "// want: rule
// ...", naming every rule that must fire on it; the root guard test checks
// the scanner reports exactly these. It lives under testdata so that go
// build ./... and go vet ./... skip it; it must still compile.
package violations
