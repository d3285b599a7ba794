// Package fail is the wrapper (-wrapper=failpoints/fail): it alone may
// import the library, through its runtime API; markers stay banned.
package fail

import "github.com/pingcap/failpoint"

func Hit(name string) bool {
	v, err := failpoint.Eval(name)
	return err == nil && v != nil
}

func marker() {
	failpoint.Inject("x", nil) // want "failpoint-marker: use of github.com/pingcap/failpoint.Inject"
}
