package checker

import (
	"sort"
	"strings"
	"testing"
)

// Builders for hand-written histories: each op gets its own client so that
// only the stamps matter.

func put(id int, val string, call, ret Stamp) Op {
	return Op{ID: OpID(id), Client: ClientID(id), Kind: KindPut, Key: "k", Value: val, Outcome: OK, Call: call, Return: ret}
}

func del(id int, call, ret Stamp) Op {
	return Op{ID: OpID(id), Client: ClientID(id), Kind: KindDelete, Key: "k", Outcome: OK, Call: call, Return: ret}
}

func get(id int, call, ret Stamp, obs ...string) Op {
	return Op{ID: OpID(id), Client: ClientID(id), Kind: KindGet, Key: "k", Observed: obs, Outcome: OK, Call: call, Return: ret}
}

func unknown(o Op) Op {
	o.Outcome, o.Return = Unknown, Inf
	return o
}

func failed(o Op) Op {
	o.Outcome = Fail
	return o
}

func withTS(o Op, t int64) Op {
	o.TS = TS(t)
	return o
}

func final(o Op) Op {
	o.Final = true
	return o
}

func onKey(o Op, key string) Op {
	o.Key = key
	return o
}

func hist(ops ...Op) History { return History{Ops: ops} }

// rules returns the sorted rules of a result's violations.
func rules(r Result) []string {
	out := []string{}
	for _, v := range r.Violations {
		out = append(out, v.Rule)
	}
	sort.Strings(out)
	return out
}

// firstOps returns the first op of each violation, sorted.
func firstOps(r Result) []OpID {
	out := []OpID{}
	for _, v := range r.Violations {
		out = append(out, v.Ops[0])
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func mustValid(t *testing.T, h History) {
	t.Helper()
	if err := h.Validate(); err != nil {
		t.Fatalf("invalid history: %v", err)
	}
}

func gateFailures(rs []Result) []string {
	var out []string
	for _, r := range rs {
		if r.Gate() {
			out = append(out, r.String())
		}
	}
	return out
}

// dump renders a history as JSON lines for failure messages.
func dump(h History) string {
	var b strings.Builder
	if err := WriteHistory(&b, h); err != nil {
		return err.Error()
	}
	return b.String()
}
