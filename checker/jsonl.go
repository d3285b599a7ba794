package checker

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
)

// MarshalJSON writes Inf as the string "inf" and other stamps as numbers.
func (s Stamp) MarshalJSON() ([]byte, error) {
	if s == Inf {
		return []byte(`"inf"`), nil
	}
	return strconv.AppendInt(nil, int64(s), 10), nil
}

// UnmarshalJSON reads a number or the string "inf".
func (s *Stamp) UnmarshalJSON(b []byte) error {
	if string(b) == `"inf"` {
		*s = Inf
		return nil
	}
	n, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		return fmt.Errorf("stamp %s: %w", b, err)
	}
	*s = Stamp(n)
	return nil
}

// line is one JSON line of a history file: exactly one field is set.
type line struct {
	Meta    map[string]string `json:"meta,omitempty"`
	Op      *Op               `json:"op,omitempty"`
	Nemesis *Nemesis          `json:"nemesis,omitempty"`
}

// WriteHistory writes h as JSON lines: the metadata first (if any), then
// operations and nemesis events in stamp order (operations by call).
func WriteHistory(w io.Writer, h History) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	if len(h.Meta) > 0 {
		if err := enc.Encode(line{Meta: h.Meta}); err != nil {
			return fmt.Errorf("write history meta: %w", err)
		}
	}
	for _, l := range orderedLines(h) {
		if err := enc.Encode(l); err != nil {
			return fmt.Errorf("write history: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write history: %w", err)
	}
	return nil
}

func orderedLines(h History) []line {
	type stamped struct {
		at Stamp
		l  line
	}
	all := make([]stamped, 0, len(h.Ops)+len(h.Nemeses))
	for i := range h.Ops {
		all = append(all, stamped{h.Ops[i].Call, line{Op: &h.Ops[i]}})
	}
	for i := range h.Nemeses {
		all = append(all, stamped{h.Nemeses[i].Stamp, line{Nemesis: &h.Nemeses[i]}})
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].at < all[j].at })
	out := make([]line, len(all))
	for i, s := range all {
		out[i] = s.l
	}
	return out
}

// ReadHistory reads a history written by WriteHistory. Blank lines are
// skipped; unknown fields are ignored so that newer writers stay readable.
func ReadHistory(r io.Reader) (History, error) {
	var h History
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 64*1024*1024)
	for n := 1; sc.Scan(); n++ {
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		if err := h.addLine(b); err != nil {
			return History{}, fmt.Errorf("read history line %d: %w", n, err)
		}
	}
	if err := sc.Err(); err != nil {
		return History{}, fmt.Errorf("read history: %w", err)
	}
	return h, nil
}

func (h *History) addLine(b []byte) error {
	var l line
	if err := json.Unmarshal(b, &l); err != nil {
		return err
	}
	switch {
	case l.Op != nil:
		h.Ops = append(h.Ops, *l.Op)
	case l.Nemesis != nil:
		h.Nemeses = append(h.Nemeses, *l.Nemesis)
	case l.Meta != nil:
		if h.Meta == nil {
			h.Meta = make(map[string]string)
		}
		for k, v := range l.Meta {
			h.Meta[k] = v
		}
	default:
		return fmt.Errorf("no op, nemesis or meta in %q", b)
	}
	return nil
}

// WriteHistoryFile writes h as JSON lines to a new file at path.
func WriteHistoryFile(path string, h History) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("history file: %w", err)
	}
	if err := WriteHistory(f, h); err != nil {
		f.Close()
		return fmt.Errorf("write history %s: %w", path, err)
	}
	return f.Close()
}
