package checker_test

import (
	"fmt"
	"os"

	"github.com/gogarage/garage/checker"
)

// Example records a small register history, checks it and prints the
// campaign table.
func Example() {
	rec := checker.NewRecorder(map[string]string{"seed": "42"})
	w := rec.Invoke(0, checker.Op{Kind: checker.KindPut, Key: "k", Value: "v1"})
	rec.Complete(w, checker.Completion{Outcome: checker.OK, TS: checker.TS(1000)})
	rec.Nemesis("partition", "{n1,n2} | {n3}")
	heal := rec.Nemesis("heal", "")
	r := rec.Invoke(1, checker.Op{Kind: checker.KindGet, Key: "k"})
	rec.Complete(r, checker.Completion{Outcome: checker.OK}) // stale: saw nothing

	h := rec.History()
	h.MarkFinal(heal)
	results, err := checker.CheckAll(h, checker.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, res := range results[:2] {
		for _, v := range res.Violations {
			fmt.Println(res.Name, v)
		}
	}
	var report checker.Report
	report.Add("seed=42", results...)
	if err := report.Print(os.Stdout); err != nil {
		fmt.Println(err)
	}
	// Output:
	// read-after-write stale-read key="k" ops=[op2 op1]: read invoked at 5 saw absent, superseded by op1 (write "v1" invoked at 1, acknowledged at 2)
	// read-after-write-sweep stale-read key="k" ops=[op2 op1]: read invoked at 5 saw absent, superseded by op1 (write "v1" invoked at 1, acknowledged at 2)
	// check                          kind    runs  failed  violations  checked  rules               first failure
	// read-after-write               gate    1     1       1           1        stale-read=1        seed=42
	// read-after-write-sweep         gate    1     1       1           1        stale-read=1        seed=42
	// linearizability                canary  1     1       1           1        not-linearizable=1  seed=42
	// list-after-write               gate    1     0       0           0        -                   -
	// durability                     gate    1     1       1           1        lost-write=1        seed=42
	// timestamp-monotonicity         gate    1     0       0           1        -                   -
	// timestamp-monotonicity-global  canary  1     0       0           1        -                   -
}
