// Package failpoints is the fixture of the failpoints analyser, run with
// -scope=failpoints/... -exempt=failpoints/driver/...
// -wrapper=failpoints/fail.
package failpoints
