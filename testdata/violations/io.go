package violations

import (
	"fmt"
	"log"
	"log/slog"
	"net"      // want: net-io
	"net/http" // want: net-io
	"net/url"
	"os"      // want: os-io
	"syscall" // want: os-io
)

func doIO() {
	_, _ = os.ReadFile("x")
	_, _ = net.Dial("tcp", "localhost:1")
	_ = http.StatusOK
	_, _ = url.Parse("x")
	_ = syscall.Getpid()
	fmt.Println("hi") // want: stdio
	log.Printf("x")   // want: stdio
	slog.Info("x")    // want: stdio
}
