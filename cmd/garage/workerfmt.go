package main

import (
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/gogarage/garage/node/garage"
)

// stateRank orders workers as Garage lists them: busy first, then idle,
// then done.
func stateRank(s string) int {
	switch s {
	case garage.WorkerBusy, garage.WorkerPaused:
		return 0
	case garage.WorkerIdle:
		return 1
	}
	return 2
}

// renderWorkerList prints workers as `garage worker list`.
func renderWorkerList(w io.Writer, ws []garage.WorkerInfo) {
	if len(ws) == 0 {
		fmt.Fprintln(w, "No worker matches.")
		return
	}
	ws = slices.Clone(ws)
	slices.SortStableFunc(ws, func(a, b garage.WorkerInfo) int { return stateRank(a.State) - stateRank(b.State) })
	tw := newTable(w)
	fmt.Fprintln(tw, "TID\tState\tName\tTranq\tDone\tQueue\tErrors\tConsec\tLast run")
	for _, wi := range ws {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\t%s\t%d\t%d\t%s\n", wi.ID, wi.State, wi.Name, optInt(wi.Tranquility),
			wi.Done, optInt(wi.Queue), wi.Errors, wi.Consecutive, ago(wi.LastAgo))
	}
	tw.Flush()
}

func optInt(p *int) string {
	if p == nil {
		return "-"
	}
	return fmt.Sprint(*p)
}

func ago(d *time.Duration) string {
	if d == nil {
		return "-"
	}
	return d.Round(time.Second).String() + " ago"
}

// renderWorkerInfo prints one worker, as `garage worker info`.
func renderWorkerInfo(w io.Writer, wi garage.WorkerInfo) {
	fmt.Fprintln(w, "==== WORKER INFORMATION ====")
	kv := []string{"TID", fmt.Sprint(wi.ID), "Name", wi.Name, "State", wi.State}
	if wi.Tranquility != nil {
		kv = append(kv, "Tranquility", fmt.Sprint(*wi.Tranquility))
	}
	kv = append(kv, "Done", fmt.Sprint(wi.Done))
	if wi.Queue != nil {
		kv = append(kv, "Queue", fmt.Sprint(*wi.Queue))
	}
	kv = append(kv, "Errors", fmt.Sprint(wi.Errors), "Consecutive", fmt.Sprint(wi.Consecutive))
	if wi.LastAgo != nil {
		kv = append(kv, "Last run", ago(wi.LastAgo))
	}
	if wi.LastError != "" {
		kv = append(kv, "Last error", wi.LastError)
	}
	fields(w, kv...)
	if len(wi.Info) > 0 {
		fmt.Fprintln(w)
		for _, l := range wi.Info {
			fmt.Fprintf(w, "  %s\n", l)
		}
	}
}

// renderWorkerVars prints variables and values, aligned.
func renderWorkerVars(w io.Writer, vs []garage.WorkerVar) {
	tw := newTable(w)
	for _, v := range vs {
		fmt.Fprintf(tw, "%s\t%s\n", v.Name, v.Value)
	}
	tw.Flush()
}
