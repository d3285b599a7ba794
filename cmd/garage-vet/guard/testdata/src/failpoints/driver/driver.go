// Package driver is exempt (-exempt=failpoints/driver/...).
package driver

import "github.com/pingcap/failpoint"

func arm() error { return failpoint.Enable("x", "return(1)") }
