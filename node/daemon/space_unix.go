//go:build linux || darwin

package daemon

import "syscall"

// diskSpace returns the bytes available to unprivileged users and the size
// of the file system holding dir; zeros if it cannot be measured.
func diskSpace(dir string) (free, total uint64) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, 0
	}
	return uint64(st.Bavail) * uint64(st.Bsize), uint64(st.Blocks) * uint64(st.Bsize)
}
