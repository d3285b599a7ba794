package checker

import (
	"fmt"
	"strings"
	"time"
)

// Check names, as they appear in Result.Name and in reports.
const (
	CheckRAW         = "read-after-write"
	CheckRAWSweep    = "read-after-write-sweep"
	CheckLinear      = "linearizability"
	CheckList        = "list-after-write"
	CheckDurability  = "durability"
	CheckTSKey       = "timestamp-monotonicity"
	CheckTSGlobal    = "timestamp-monotonicity-global"
	CheckConvergence = "convergence"
)

// Violation is one breach of a check, with the operations involved (the
// offending one first) and a one-line explanation.
type Violation struct {
	Rule    string `json:"rule"`
	Key     string `json:"key,omitempty"`
	Ops     []OpID `json:"ops,omitempty"`
	Explain string `json:"explain"`
}

func (v Violation) String() string {
	ids := make([]string, len(v.Ops))
	for i, id := range v.Ops {
		ids[i] = id.String()
	}
	return fmt.Sprintf("%s key=%q ops=[%s]: %s", v.Rule, v.Key, strings.Join(ids, " "), v.Explain)
}

// Result is the verdict of one check on one history. A canary result is
// reported but must never fail a run: OK is false when it found violations,
// and Gate tells the caller whether that matters.
type Result struct {
	Name       string
	OK         bool
	Canary     bool
	Checked    int // reads, listings, keys or partitions examined
	Violations []Violation
	Info       string
}

// Gate reports whether the result should fail the run.
func (r Result) Gate() bool { return !r.OK && !r.Canary }

func (r Result) String() string {
	status := "ok"
	switch {
	case r.OK && r.Checked == 0:
		status = "not judged"
	case r.Gate():
		status = "FAIL"
	case !r.OK:
		status = "fail (canary)"
	}
	return fmt.Sprintf("%s: %s, %d checked, %d violations; %s", r.Name, status, r.Checked, len(r.Violations), r.Info)
}

func newResult(name string, checked int, vs []Violation, info string) Result {
	return Result{Name: name, OK: len(vs) == 0, Checked: checked, Violations: vs, Info: info}
}

// Options tune the checks. The zero value is usable.
type Options struct {
	// Vocabulary maps kinds to roles; nil means DefaultVocabulary().
	Vocabulary Vocabulary
	// Timeout caps each porcupine search; 0 means 2 s. A read-after-write
	// search that times out falls back to the sweep's verdict (counted in
	// Info); a linearizability search that times out is reported in Info.
	Timeout time.Duration
}

func (o Options) vocab() Vocabulary {
	if o.Vocabulary == nil {
		return DefaultVocabulary()
	}
	return o.Vocabulary
}

func (o Options) timeout() time.Duration {
	if o.Timeout <= 0 {
		return 2 * time.Second
	}
	return o.Timeout
}

// CheckAll validates h and runs every history check: read-after-write
// (porcupine and sweep), the linearizability canary, list-after-write,
// durability and both timestamp monotonicity variants. Convergence needs
// replica digests and is run separately (Convergence). Besides
// History.Validate, it rejects kinds missing from the vocabulary (a typo
// would silently remove operations from every check) and writes without a
// value.
func CheckAll(h History, o Options) ([]Result, error) {
	if err := h.Validate(); err != nil {
		return nil, fmt.Errorf("check history: %w", err)
	}
	if err := o.vocab().validate(h); err != nil {
		return nil, fmt.Errorf("check history: %w", err)
	}
	return []Result{
		ReadAfterWrite(h, o),
		ReadAfterWriteSweep(h, o),
		Linearizability(h, o),
		ListAfterWrite(h, o),
		Durability(h, o),
		TimestampMonotonicity(h, o),
		GlobalTimestampMonotonicity(h, o),
	}, nil
}

// FailingKeys returns, sorted, the registers and sets named by violations
// of failing gates in rs — the keys worth rendering with WriteHTML.
// Convergence violations name partitions, not history keys, and are left
// out.
func FailingKeys(rs []Result) []string {
	seen := make(map[string]bool)
	for _, r := range rs {
		if !r.Gate() || r.Name == CheckConvergence {
			continue
		}
		for _, v := range r.Violations {
			seen[v.Key] = true
		}
	}
	return sortedKeys(seen)
}

// GateViolations returns the violations of gating checks of rs that name
// key: what an HTML view of that key's history marks.
func GateViolations(rs []Result, key string) []Violation {
	var out []Violation
	for _, r := range rs {
		for _, v := range r.Violations {
			if r.Gate() && v.Key == key {
				out = append(out, v)
			}
		}
	}
	return out
}
