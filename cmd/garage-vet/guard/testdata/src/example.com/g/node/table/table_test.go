package table_test

// Test files are exempt: an external test may run the package in the
// simulator, which imports it.
import (
	_ "example.com/g/node/table"
	_ "example.com/g/sim"
)
