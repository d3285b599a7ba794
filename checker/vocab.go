package checker

import (
	"fmt"
	"strings"
)

// Role is what an operation kind means to the checks, as a bit set: an S3
// PutObject is both a register write and a set add.
type Role uint8

// Roles. A kind with no role (UploadPart, CreateMultipartUpload, ...) is kept
// in the history and shown in visualisations but ignored by the checks.
const (
	RoleRead   Role = 1 << iota // reads register (Set, Key) into Observed
	RoleWrite                   // writes Value to register (Set, Key)
	RoleDelete                  // writes "absent" to register (Set, Key)
	RoleAdd                     // adds element Key to set Set
	RoleRemove                  // removes element Key from set Set
	RoleList                    // one page of a listing of set Set
)

// Has reports whether r includes every bit of q.
func (r Role) Has(q Role) bool { return q != 0 && r&q == q }

func (r Role) String() string {
	names := []string{"read", "write", "delete", "add", "remove", "list"}
	var parts []string
	for i, n := range names {
		if r&(1<<i) != 0 {
			parts = append(parts, n)
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, "|")
}

// Register-workload and set-workload kinds.
const (
	KindPut    Kind = "put"
	KindGet    Kind = "get"
	KindDelete Kind = "delete"
	KindAdd    Kind = "add"
	KindRemove Kind = "remove"
	KindList   Kind = "list"
)

// Vocabulary maps operation kinds to roles. New workloads plug in by adding
// kinds; the checks only ever ask for roles.
type Vocabulary map[Kind]Role

// DefaultVocabulary returns a fresh vocabulary knowing the register and set
// workload kinds and the S3 operations: an object write or delete is also a
// set add or remove on its bucket (Set), and a ListObjectsV2 page is a
// listing page.
func DefaultVocabulary() Vocabulary {
	return Vocabulary{
		KindPut: RoleWrite, KindGet: RoleRead, KindDelete: RoleDelete,
		KindAdd: RoleAdd, KindRemove: RoleRemove, KindList: RoleList,
		"PutObject":               RoleWrite | RoleAdd,
		"CopyObject":              RoleWrite | RoleAdd,
		"CompleteMultipartUpload": RoleWrite | RoleAdd,
		"GetObject":               RoleRead,
		"HeadObject":              RoleRead,
		"DeleteObject":            RoleDelete | RoleRemove,
		"ListObjects":             RoleList,
		"ListObjectsV2":           RoleList,
		"CreateMultipartUpload":   0,
		"UploadPart":              0,
		"AbortMultipartUpload":    0,
	}
}

// Role returns the role of kind k (0 for unknown kinds).
func (v Vocabulary) Role(k Kind) Role { return v[k] }

// is reports whether op o has every bit of role q.
func (v Vocabulary) is(o Op, q Role) bool { return v[o.Kind].Has(q) }

// isWrite reports whether o writes its register (a value or "absent").
func (v Vocabulary) isWrite(o Op) bool { return v.is(o, RoleWrite) || v.is(o, RoleDelete) }

// validate reports the first op whose kind is unknown to v, or that writes
// without a value.
func (v Vocabulary) validate(h History) error {
	for _, o := range h.Ops {
		role, known := v[o.Kind]
		switch {
		case !known:
			return fmt.Errorf("%v: kind %q not in the vocabulary", o.ID, o.Kind)
		case role.Has(RoleWrite) && o.Value == "":
			return fmt.Errorf("%v: %s writes no value", o.ID, o.Kind)
		}
	}
	return nil
}
