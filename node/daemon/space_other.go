//go:build !(linux || darwin)

package daemon

// diskSpace is not measured on this system.
func diskSpace(string) (free, total uint64) { return 0, 0 }
