package checker

import (
	"bufio"
	"fmt"
	"io"
	"os"

	"github.com/anishathalye/porcupine"
)

// WriteHTML writes to path a porcupine visualisation of the operations on
// key — a register name (Op.Register) or a set name — annotated with the
// nemesis events, the operations porcupine does not see (failed ones,
// reads of unknown outcome) and the given violations. It uses the default
// Options; see RenderHTML.
func WriteHTML(path string, h History, key string, marks ...Violation) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write html %s: %w", path, err)
	}
	w := bufio.NewWriter(f)
	err = RenderHTML(w, h, key, Options{}, marks)
	if ferr := w.Flush(); err == nil && ferr != nil {
		err = fmt.Errorf("write html %s: %w", path, ferr)
	}
	if cerr := f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("write html %s: %w", path, cerr)
	}
	return err
}

// RenderHTML writes the visualisation WriteHTML describes to w. The search
// is capped by o.Timeout; a timed-out search still renders its partial
// linearizations.
func RenderHTML(w io.Writer, h History, key string, o Options, marks []Violation) error {
	model, ops, left := selectKey(h, key, o.vocab())
	if len(ops) == 0 && len(left) == 0 {
		return fmt.Errorf("render html: no operation on %q", key)
	}
	_, info := porcupine.CheckOperationsVerbose(model, ops, o.timeout())
	info.AddAnnotations(annotations(h, left, marks))
	if err := porcupine.Visualize(model, info, w); err != nil {
		return fmt.Errorf("render html %q: %w", key, err)
	}
	return nil
}

// selectKey returns the model and porcupine operations for key, and the
// ops on key that porcupine must not see (shown as annotations).
func selectKey(h History, key string, v Vocabulary) (porcupine.Model, []porcupine.Operation, []Op) {
	var ops []porcupine.Operation
	var left []Op
	for _, o := range h.Ops {
		if (v.isWrite(o) || v.is(o, RoleRead)) && o.Register() == key {
			read := v.is(o, RoleRead)
			if o.Outcome == Fail || read && o.Outcome != OK {
				left = append(left, o)
				continue
			}
			if !v.is(o, RoleWrite) {
				o.Value = ""
			}
			ops = append(ops, regOperation(o, read))
		}
	}
	if len(ops) > 0 || len(left) > 0 {
		return registerModel(), ops, left
	}
	for _, o := range h.Ops {
		if (v.is(o, RoleAdd) || v.is(o, RoleRemove) || v.is(o, RoleList)) && o.Set == key {
			if o.Outcome == Fail || v.is(o, RoleList) && o.Outcome != OK {
				left = append(left, o)
				continue
			}
			ops = append(ops, setOperation(o, v))
		}
	}
	return setModel(), ops, left
}

func setOperation(o Op, v Vocabulary) porcupine.Operation {
	in := setInput{elem: o.Key, kind: o.Kind, role: RoleList}
	switch {
	case v.is(o, RoleAdd):
		in.role = RoleAdd
	case v.is(o, RoleRemove):
		in.role = RoleRemove
	default:
		in.full = o.Listing == 0 && !o.More
	}
	var out interface{} = o.Observed
	if in.role != RoleList {
		out = []string(nil)
	}
	return porcupine.Operation{ClientId: int(o.Client), Input: in, Call: int64(o.Call),
		Output: out, Return: int64(o.Return), Metadata: o}
}

// annotations returns the nemesis events, the left-out ops and the marks.
func annotations(h History, left []Op, marks []Violation) []porcupine.Annotation {
	var out []porcupine.Annotation
	for _, n := range h.Nemeses {
		out = append(out, porcupine.Annotation{Tag: "nemesis", Start: int64(n.Stamp),
			Description: n.Kind, Details: n.Description, BackgroundColor: "#fde2a3"})
	}
	for _, o := range left {
		end := o.Return
		if end == Inf {
			end = o.Call
		}
		out = append(out, porcupine.Annotation{ClientId: int(o.Client), Start: int64(o.Call), End: int64(end),
			Description: fmt.Sprintf("%s %s", o.Kind, o.Outcome), Details: describeMeta(o), BackgroundColor: "#e0e0e0"})
	}
	calls := make(map[OpID]Stamp, len(h.Ops))
	for _, o := range h.Ops {
		calls[o.ID] = o.Call
	}
	for _, m := range marks {
		if len(m.Ops) == 0 {
			continue
		}
		out = append(out, porcupine.Annotation{Tag: "violations", Start: int64(calls[m.Ops[0]]),
			Description: m.Rule, Details: m.String(), BackgroundColor: "#f7a8a8"})
	}
	return out
}
