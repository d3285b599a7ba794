package main

import (
	"fmt"

	"github.com/gogarage/garage/layout"
)

// parseCapacity parses a node capacity such as "10G", "500M", "1T" or
// "4096B" (layout.ParseBytes: a unit is required).
func parseCapacity(s string) (int64, error) {
	n, err := layout.ParseBytes(s)
	if err != nil {
		return 0, fmt.Errorf("capacity %w", err)
	}
	if n < 1 {
		return 0, fmt.Errorf("capacity %q: want at least 1 byte (use -g for a gateway without capacity)", s)
	}
	return n, nil
}
