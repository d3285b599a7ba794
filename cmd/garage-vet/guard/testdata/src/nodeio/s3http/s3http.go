// Package s3http is an HTTP adapter, allowed net/http by -http; other
// I/O is still reported.
package s3http

import (
	"net/http"
	"net/http/httptrace"
	"os" // want "os-io: import \"os\""
)

func handler() http.Handler { return http.NotFoundHandler() }

func trace() *httptrace.ClientTrace { _ = os.Getpid(); return &httptrace.ClientTrace{} }
