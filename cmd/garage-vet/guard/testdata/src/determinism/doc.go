// Package determinism is the fixture of the determinism analyser, run with
// -scope=determinism/... -exempt=determinism/driver/...: each banned
// construct with a want comment, and the allowed forms without.
package determinism
