// Command garage-vet checks the house rules of DESIGN.md: the import
// arrows of §2 and the rules of §3 for node code (determinism, I/O, map
// order, failpoints). It runs the analysers of package guard:
//
//	go run ./cmd/garage-vet ./...
//	go build -o /tmp/garage-vet ./cmd/garage-vet && go vet -vettool=/tmp/garage-vet ./...
//
// Each analyser can be turned off or reconfigured with its flags, for
// example -maporder=false or -nodeio.http=<package>,...; see
// go run ./cmd/garage-vet help <analyser>.
package main

import (
	"golang.org/x/tools/go/analysis/multichecker"

	"github.com/gogarage/garage/cmd/garage-vet/guard"
)

func main() { multichecker.Main(guard.Analyzers()...) }
