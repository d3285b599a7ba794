package nodeio

import (
	"fmt"
	"io/ioutil" // want "os-io: import \"io/ioutil\""
	"log"
	"log/slog"
	"net"                // want "net-io: import \"net\""
	"net/http"           // want "net-io: import \"net/http\""
	"net/http/httptrace" // want "net-io: import \"net/http/httptrace\""
	"net/netip"
	"net/textproto" // want "net-io: import \"net/textproto\""
	"net/url"
	"os"      // want "os-io: import \"os\""
	"os/exec" // want "os-io: import \"os/exec\""
	"syscall" // want "os-io: import \"syscall\""
)

func doIO() {
	_, _ = os.ReadFile("x")
	_, _ = ioutil.ReadAll(nil)
	_ = exec.Command("true")
	_, _ = net.Dial("tcp", "localhost:1")
	_ = http.StatusOK
	_ = httptrace.WithClientTrace
	_ = textproto.CanonicalMIMEHeaderKey
	_, _ = url.Parse("x")
	_, _ = netip.ParseAddr("::1")
	_ = syscall.Getpid()
}

func printing() {
	fmt.Println("hi")                // want "stdio: use of fmt.Println"
	fmt.Printf("%d", 1)              // want "stdio: use of fmt.Printf"
	log.Printf("x")                  // want "stdio: use of log.Printf"
	log.Default().SetPrefix("x")     // want "stdio: use of log.Default"
	slog.Info("x")                   // want "stdio: use of log/slog.Info"
	slog.Default().Info("x")         // want "stdio: use of log/slog.Default"
	slog.ErrorContext(nil, "x", "k") // want "stdio: use of log/slog.ErrorContext"
}
