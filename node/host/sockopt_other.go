//go:build !linux

package host

import "net"

// limitUnsent does nothing where TCP_NOTSENT_LOWAT is not available.
func limitUnsent(net.Conn, int) {}
