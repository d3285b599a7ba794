//go:build amd64 && !purego

package block

import "golang.org/x/sys/cpu"

// useStitch reports whether the CPU runs stitch_amd64.s (AVX2).
func useStitch() bool { return cpu.X86.HasAVX2 }

// stitch compresses the whole 128-byte blocks of p (none of them the
// final block of the input) into the BLAKE2b state h, counter being the
// bytes compressed before p, and the same bytes into the MD5 state s.
//
//go:noescape
func stitch(h *[8]uint64, s *[4]uint32, counter uint64, p []byte)
