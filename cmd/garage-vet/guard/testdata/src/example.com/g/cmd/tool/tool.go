// Package tool is a main of cmd: it reaches every area but root.
package tool

import (
	_ "example.com/g/checker/model"
	_ "example.com/g/experiments"
	_ "example.com/g/layout"
	_ "example.com/g/netem"
	_ "example.com/g/node/host"
)
