package host

import (
	"net"

	"golang.org/x/sys/unix"
)

// limitUnsent caps the bytes the kernel holds unsent for c at lowat
// (TCP_NOTSENT_LOWAT). Frames then wait in the connection's priority queue
// instead of the kernel's FIFO, so an urgent frame passes bulk data, while
// data in flight (the window) stays unlimited for long fat links.
func limitUnsent(c net.Conn, lowat int) {
	tc, ok := c.(*net.TCPConn)
	if !ok || lowat <= 0 {
		return
	}
	raw, err := tc.SyscallConn()
	if err != nil {
		return
	}
	raw.Control(func(fd uintptr) {
		// Best effort: an old kernel without the option behaves as before.
		_ = unix.SetsockoptInt(int(fd), unix.IPPROTO_TCP, unix.TCP_NOTSENT_LOWAT, lowat)
	})
}
