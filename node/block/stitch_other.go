//go:build !amd64 || purego

package block

// useStitch: no one-pass loop on this platform.
func useStitch() bool { return false }

func stitch(h *[8]uint64, s *[4]uint32, counter uint64, p []byte) {
	panic("block: stitch without its assembly")
}
