package checker

import (
	"fmt"
	"sort"
	"strings"

	"github.com/anishathalye/porcupine"
)

// regState is the register model's state; the zero value is "absent".
type regState struct {
	set bool
	v   string
}

// regInput is a register operation as porcupine sees it.
type regInput struct {
	read  bool
	value string // writes; "" writes absent (a delete)
	kind  Kind
}

// registerModel is a single-register model: writes (deletes write
// "absent"), and reads that must see the current state, one of Observed
// when the read reports several.
func registerModel() porcupine.Model {
	return porcupine.Model{
		Init: func() interface{} { return regState{} },
		Step: func(st, in, out interface{}) (bool, interface{}) {
			s, i := st.(regState), in.(regInput)
			if !i.read {
				return true, regState{set: i.value != "", v: i.value}
			}
			obs := out.([]string)
			if len(obs) == 0 {
				return !s.set, s
			}
			return s.set && contains(obs, s.v), s
		},
		DescribeOperation: func(in, out interface{}) string {
			i := in.(regInput)
			if i.read {
				return fmt.Sprintf("%s → %s", i.kind, describeObserved(out.([]string)))
			}
			if i.value == "" {
				return string(i.kind)
			}
			return fmt.Sprintf("%s(%q)", i.kind, i.value)
		},
		DescribeState: func(st interface{}) string {
			if s := st.(regState); s.set {
				return fmt.Sprintf("%q", s.v)
			}
			return "absent"
		},
		DescribeOperationMetadata: describeMeta,
	}
}

// regOperation converts a register op to porcupine; a write's output is
// nil, a read's is its observed values.
func regOperation(o Op, read bool) porcupine.Operation {
	in := regInput{read: read, value: o.Value, kind: o.Kind}
	var out interface{} = []string(nil)
	if read {
		out = o.Observed
	}
	return porcupine.Operation{ClientId: int(o.Client), Input: in, Call: int64(o.Call),
		Output: out, Return: int64(o.Return), Metadata: o}
}

func describeMeta(m interface{}) string {
	o, ok := m.(Op)
	if !ok {
		return ""
	}
	s := fmt.Sprintf("%v %s", o.ID, o.Outcome)
	if o.TS != nil {
		s += fmt.Sprintf(" ts=%d", *o.TS)
	}
	return s
}

// setInput is a set operation as porcupine sees it.
type setInput struct {
	role Role
	elem string
	kind Kind
	full bool // a listing of one complete page: must equal the state
}

// setModel is a set model for visualisation: adds and removes change the
// state; a list page must be a subset of it (pages are partial views), and
// equal to it when it is a whole listing. The state is a sorted, "\n"-joined
// string so that porcupine can compare states with ==.
func setModel() porcupine.Model {
	return porcupine.Model{
		Init: func() interface{} { return "" },
		Step: func(st, in, out interface{}) (bool, interface{}) {
			s, i := st.(string), in.(setInput)
			switch i.role {
			case RoleAdd:
				return true, setWith(s, i.elem, true)
			case RoleRemove:
				return true, setWith(s, i.elem, false)
			}
			return pageFits(s, out.([]string), i.full), s
		},
		DescribeOperation: func(in, out interface{}) string {
			i := in.(setInput)
			if i.role == RoleList {
				return fmt.Sprintf("%s → %v", i.kind, out)
			}
			return fmt.Sprintf("%s(%q)", i.kind, i.elem)
		},
		DescribeState:             func(st interface{}) string { return "{" + strings.ReplaceAll(st.(string), "\n", ", ") + "}" },
		DescribeOperationMetadata: describeMeta,
	}
}

func setElems(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

func setWith(s, e string, in bool) string {
	var out []string
	for _, x := range setElems(s) {
		if x != e {
			out = append(out, x)
		}
	}
	if in {
		out = append(out, e)
		sort.Strings(out)
	}
	return strings.Join(out, "\n")
}

func pageFits(s string, page []string, full bool) bool {
	elems := setElems(s)
	for _, e := range page {
		if !contains(elems, e) {
			return false
		}
	}
	return !full || len(page) == len(elems)
}
