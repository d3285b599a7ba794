package checker

import (
	"fmt"
	"math"
	"sort"
	"strconv"
)

// Stamp is a logical time: a strictly increasing counter shared by every
// call, return and nemesis event of one history. Inf is the return stamp of
// an operation whose outcome is unknown.
type Stamp int64

// Inf is the return stamp of an unknown-outcome operation: porcupine may
// linearize it at any point after its call, or never.
const Inf Stamp = math.MaxInt64

// ninf stands for "before the history began" (the register's initial state).
const ninf Stamp = math.MinInt64

func (s Stamp) String() string {
	if s == Inf {
		return "inf"
	}
	return strconv.FormatInt(int64(s), 10)
}

// OpID names one operation of a history; ids are unique within it.
type OpID int64

func (id OpID) String() string { return "op" + strconv.FormatInt(int64(id), 10) }

// ClientID names the logical client that issued an operation. A client has
// at most one operation in flight; after an unknown outcome the worker that
// issued it continues under a fresh ClientID.
type ClientID int

func (c ClientID) String() string { return "c" + strconv.Itoa(int(c)) }

// Kind names an operation kind ("put", "get", "PutObject", ...). What a kind
// means to the checks is decided by a Vocabulary, not by the checks.
type Kind string

// Outcome is what the client learnt about an operation.
type Outcome string

// Outcomes. Fail means the operation certainly took no effect; when in
// doubt (timeouts, 5xx after a request was sent) record Unknown.
const (
	OK      Outcome = "ok"
	Fail    Outcome = "fail"
	Unknown Outcome = "unknown"
)

// Timestamp is the LWW timestamp the system assigned to a write (for Garage,
// milliseconds since the UNIX epoch).
type Timestamp int64

// TS returns a pointer to t, for filling Op.TS.
func TS(t int64) *Timestamp {
	ts := Timestamp(t)
	return &ts
}

// Op is one operation of a history. Field use depends on the kind's Role:
//
//   - register ops (read, write, delete) act on the register named by Set and
//     Key (see Register); writes carry a Value unique across the history.
//   - set ops (add, remove) add or remove the element Key of the set Set.
//   - list pages read elements of Set into Observed; the pages of one
//     listing share Listing, and the last one has More == false.
//
// Reads put the value seen in Observed (empty: the key was absent).
type Op struct {
	ID       OpID       `json:"id"`
	Client   ClientID   `json:"client"`
	Kind     Kind       `json:"kind"`
	Set      string     `json:"set,omitempty"`
	Key      string     `json:"key,omitempty"`
	Value    string     `json:"value,omitempty"`
	Observed []string   `json:"observed,omitempty"`
	TS       *Timestamp `json:"ts,omitempty"`
	Outcome  Outcome    `json:"outcome"`
	Call     Stamp      `json:"call"`
	Return   Stamp      `json:"return"`
	Listing  OpID       `json:"listing,omitempty"`
	More     bool       `json:"more,omitempty"`
	Final    bool       `json:"final,omitempty"`
}

// Register returns the name of the register the op acts on: Key, prefixed
// by "Set/" when Set is not empty (S3: bucket/key).
func (o Op) Register() string {
	if o.Set == "" {
		return o.Key
	}
	return o.Set + "/" + o.Key
}

// ListingID returns the listing the page belongs to: Listing, or the op's
// own id when it is a listing of one page.
func (o Op) ListingID() OpID {
	if o.Listing != 0 {
		return o.Listing
	}
	return o.ID
}

// mayHaveHappened reports whether the op may have taken effect.
func (o Op) mayHaveHappened() bool { return o.Outcome != Fail }

// Nemesis is a fault-injection event, kept in the history to annotate
// visualisations; checks ignore it.
type Nemesis struct {
	Stamp       Stamp  `json:"stamp"`
	Kind        string `json:"kind"`
	Description string `json:"desc,omitempty"`
}

// History is a recorded run: operations, nemesis events and free-form
// metadata (seed, workload, commit).
type History struct {
	Meta    map[string]string
	Ops     []Op
	Nemeses []Nemesis
}

// MarkFinal flags as final every operation invoked after stamp s (the
// reads and listings of a liveness phase that starts at s).
func (h *History) MarkFinal(s Stamp) {
	for i := range h.Ops {
		if h.Ops[i].Call > s {
			h.Ops[i].Final = true
		}
	}
}

// Validate reports the first structural error of the history: duplicate op
// ids or stamps, a return not after its call, an unknown outcome without an
// infinite return (or the reverse), a client with two ops in flight, or a
// written value used twice on one register.
func (h History) Validate() error {
	if err := h.validateStamps(); err != nil {
		return err
	}
	if err := h.validateClients(); err != nil {
		return err
	}
	return h.validateValues()
}

func (h History) validateStamps() error {
	ids := make(map[OpID]bool, len(h.Ops))
	stamps := make(map[Stamp]string, 2*len(h.Ops)+len(h.Nemeses))
	claim := func(s Stamp, who string) error {
		if prev, dup := stamps[s]; dup && s != Inf {
			return fmt.Errorf("stamp %v used by %s and %s", s, prev, who)
		}
		stamps[s] = who
		return nil
	}
	for _, o := range h.Ops {
		if err := validateOp(o, ids); err != nil {
			return err
		}
		ids[o.ID] = true
		if err := claim(o.Call, o.ID.String()); err != nil {
			return err
		}
		if err := claim(o.Return, o.ID.String()); err != nil {
			return err
		}
	}
	for i, n := range h.Nemeses {
		if err := claim(n.Stamp, "nemesis "+strconv.Itoa(i)); err != nil {
			return err
		}
	}
	return nil
}

func validateOp(o Op, ids map[OpID]bool) error {
	switch {
	case ids[o.ID]:
		return fmt.Errorf("duplicate op id %v", o.ID)
	case o.Outcome != OK && o.Outcome != Fail && o.Outcome != Unknown:
		return fmt.Errorf("%v: bad outcome %q", o.ID, o.Outcome)
	case o.Return <= o.Call:
		return fmt.Errorf("%v: return %v not after call %v", o.ID, o.Return, o.Call)
	case (o.Outcome == Unknown) != (o.Return == Inf):
		return fmt.Errorf("%v: outcome %s with return %v", o.ID, o.Outcome, o.Return)
	}
	return nil
}

// validateClients checks that each client's ops do not overlap.
func (h History) validateClients() error {
	byClient := make(map[ClientID][]Op)
	for _, o := range h.Ops {
		byClient[o.Client] = append(byClient[o.Client], o)
	}
	clients := make([]ClientID, 0, len(byClient))
	for c := range byClient {
		clients = append(clients, c)
	}
	sort.Slice(clients, func(i, j int) bool { return clients[i] < clients[j] })
	for _, c := range clients {
		ops := byClient[c]
		sort.Slice(ops, func(i, j int) bool { return ops[i].Call < ops[j].Call })
		for i := 1; i < len(ops); i++ {
			if ops[i].Call < ops[i-1].Return {
				return fmt.Errorf("client %v: %v invoked while %v in flight", c, ops[i].ID, ops[i-1].ID)
			}
		}
	}
	return nil
}

// validateValues checks that written values are unique per register; the
// checks identify the write a read saw by its value.
func (h History) validateValues() error {
	type rv struct{ reg, val string }
	seen := make(map[rv]OpID)
	for _, o := range h.Ops {
		if o.Value == "" {
			continue
		}
		k := rv{o.Register(), o.Value}
		if prev, dup := seen[k]; dup {
			return fmt.Errorf("value %q written to %q by %v and %v", o.Value, k.reg, prev, o.ID)
		}
		seen[k] = o.ID
	}
	return nil
}
