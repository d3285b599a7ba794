package lab

import (
	"fmt"

	"github.com/gogarage/garage/checker"
	"github.com/gogarage/garage/experiments/results"
)

// ChecksTable is checks.csv: one row per check of the checker — whether
// it gates a run or is a canary, what it examined, the violations found.
func ChecksTable(rs []checker.Result) *results.Table {
	t := results.NewTable("checks", results.Text("check"), results.Text("kind"), results.Int("checked", ""),
		results.Int("violations", ""), results.Text("ok"))
	for _, r := range rs {
		kind := "gate"
		if r.Canary {
			kind = "canary"
		}
		if err := t.Add(r.Name, kind, r.Checked, len(r.Violations), fmt.Sprint(r.OK)); err != nil {
			panic(err)
		}
	}
	return t
}

// Violations returns the violations check name found in rs (0 if it did
// not run).
func Violations(rs []checker.Result, name string) int {
	for _, r := range rs {
		if r.Name == name {
			return len(r.Violations)
		}
	}
	return 0
}
