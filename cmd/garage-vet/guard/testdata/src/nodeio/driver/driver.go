// Package driver is exempt (-exempt=nodeio/driver/...).
package driver

import (
	"fmt"
	"net"
	"os"
)

func listen() (net.Listener, error) {
	fmt.Println(os.Getpid())
	return net.Listen("tcp", ":0")
}
