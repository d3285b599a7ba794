// Package outofscope lies outside the scope of every node analyser in the
// tests (-scope), and outside the module of the arrows: it breaks a rule
// of each and nothing is reported.
package outofscope

import (
	"github.com/pingcap/failpoint"
	"syscall"
	"time"
)

var hits int

func everything(m map[string]int) {
	go syscall.Getpid()
	for k := range m {
		m[k] = int(time.Now().Unix())
	}
	failpoint.Inject("x", func() {})
	hits++
}
