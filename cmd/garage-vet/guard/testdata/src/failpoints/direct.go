package failpoints

import "github.com/pingcap/failpoint" // want "failpoint-direct: import \"github.com/pingcap/failpoint\" outside failpoints/fail"

func inject() {
	failpoint.Inject("x", func() {})             // want "failpoint-marker: use of github.com/pingcap/failpoint.Inject"
	failpoint.InjectContext(nil, "x", func() {}) // want "failpoint-marker: use of github.com/pingcap/failpoint.InjectContext"
	failpoint.Label("l")                         // want "failpoint-marker: use of github.com/pingcap/failpoint.Label"
	failpoint.Return(1)                          // want "failpoint-marker: use of github.com/pingcap/failpoint.Return"
	failpoint.Break()                            // want "failpoint-marker: use of github.com/pingcap/failpoint.Break"
	_, _ = failpoint.Eval("x")
}
