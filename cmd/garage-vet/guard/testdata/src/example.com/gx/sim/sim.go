// Package sim belongs to another module whose path extends example.com/g.
package sim
