package violations

import "github.com/pingcap/failpoint" // want: failpoint-direct

func inject() {
	failpoint.Inject("x", func() {}) // want: failpoint-marker
}
