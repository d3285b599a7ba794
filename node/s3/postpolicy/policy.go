package postpolicy

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gogarage/garage/node/s3/s3err"
)

// Operators of policy conditions.
const (
	OpEq          = "eq"
	OpStartsWith  = "starts-with"
	OpLengthRange = "content-length-range"
)

// Condition is one condition of a policy: Field (lower case, without the
// '$') must equal or start with Value, or, for content-length-range, the
// file's length must lie in [Min, Max].
type Condition struct {
	Op       string
	Field    string
	Value    string
	Min, Max int64
}

// Policy is a decoded policy document.
type Policy struct {
	Expiration time.Time
	Conditions []Condition
}

// document is the JSON form of a policy.
type document struct {
	Expiration *string           `json:"expiration"`
	Conditions []json.RawMessage `json:"conditions"`
}

// ParsePolicy decodes a base64 policy document. Errors are
// InvalidPolicyDocument.
func ParsePolicy(b64 string) (Policy, error) {
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return Policy{}, invalidPolicy("the policy is not base64: %v", err)
	}
	var doc document
	d := json.NewDecoder(bytes.NewReader(raw))
	d.DisallowUnknownFields()
	if err := d.Decode(&doc); err != nil {
		return Policy{}, invalidPolicy("invalid JSON: %v", err)
	}
	if d.More() {
		return Policy{}, invalidPolicy("invalid JSON: content after the document")
	}
	if doc.Expiration == nil {
		return Policy{}, invalidPolicy("the policy has no expiration")
	}
	exp, err := time.Parse(time.RFC3339Nano, *doc.Expiration)
	if err != nil {
		return Policy{}, invalidPolicy("expiration %q is not an ISO 8601 time", *doc.Expiration)
	}
	p := Policy{Expiration: exp}
	for _, c := range doc.Conditions {
		cond, err := parseCondition(c)
		if err != nil {
			return Policy{}, err
		}
		p.Conditions = append(p.Conditions, cond...)
	}
	return p, nil
}

// parseCondition parses one entry of the conditions list: an object of
// exact matches, or an array [op, "$field", value] or
// ["content-length-range", min, max].
func parseCondition(raw json.RawMessage) ([]Condition, error) {
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) == nil {
		return objectConditions(obj)
	}
	var arr []json.RawMessage
	if err := json.Unmarshal(raw, &arr); err != nil || len(arr) != 3 {
		return nil, invalidPolicy("condition %s is neither an object nor a three-element array", raw)
	}
	var op string
	if err := json.Unmarshal(arr[0], &op); err != nil {
		return nil, invalidPolicy("condition %s has no operator", raw)
	}
	if strings.EqualFold(op, OpLengthRange) {
		return lengthCondition(raw, arr[1], arr[2])
	}
	return matchCondition(raw, strings.ToLower(op), arr[1], arr[2])
}

// objectConditions turns {"field": "value", ...} into eq conditions,
// sorted by field.
func objectConditions(obj map[string]json.RawMessage) ([]Condition, error) {
	var out []Condition
	for _, k := range sortedKeys(obj) {
		var v string
		if err := json.Unmarshal(obj[k], &v); err != nil {
			return nil, invalidPolicy("condition on %s: the value is not a string", k)
		}
		field := strings.ToLower(strings.TrimPrefix(k, "$"))
		if field == "" {
			return nil, invalidPolicy("a condition names an empty field")
		}
		out = append(out, Condition{Op: OpEq, Field: field, Value: v})
	}
	return out, nil
}

// matchCondition parses [op, "$field", "value"].
func matchCondition(raw json.RawMessage, op string, field, value json.RawMessage) ([]Condition, error) {
	if op != OpEq && op != OpStartsWith {
		return nil, invalidPolicy("condition %s: unknown operator %q", raw, op)
	}
	var f, v string
	if json.Unmarshal(field, &f) != nil || json.Unmarshal(value, &v) != nil || !strings.HasPrefix(f, "$") || len(f) < 2 {
		return nil, invalidPolicy("condition %s must be [op, \"$field\", \"value\"]", raw)
	}
	return []Condition{{Op: op, Field: strings.ToLower(f[1:]), Value: v}}, nil
}

// lengthCondition parses ["content-length-range", min, max]; the bounds
// are numbers or decimal strings.
func lengthCondition(raw json.RawMessage, lo, hi json.RawMessage) ([]Condition, error) {
	minLen, err1 := jsonInt(lo)
	maxLen, err2 := jsonInt(hi)
	if err1 != nil || err2 != nil || minLen < 0 || maxLen < minLen {
		return nil, invalidPolicy("condition %s: invalid content-length-range", raw)
	}
	return []Condition{{Op: OpLengthRange, Min: minLen, Max: maxLen}}, nil
}

// jsonInt reads a non-fractional JSON number or a decimal string.
func jsonInt(raw json.RawMessage) (int64, error) {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return strconv.ParseInt(s, 10, 64)
	}
	return strconv.ParseInt(string(raw), 10, 64)
}

// invalidPolicy returns an InvalidPolicyDocument error.
func invalidPolicy(format string, args ...any) error {
	return s3err.New(s3err.InvalidPolicyDocument, "Invalid Policy: %s", fmt.Sprintf(format, args...))
}

// sortedKeys returns the keys of m in order.
func sortedKeys(m map[string]json.RawMessage) []string {
	return slices.Sorted(maps.Keys(m))
}
