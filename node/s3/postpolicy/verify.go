package postpolicy

import (
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/gogarage/garage/node/s3/s3err"
	"github.com/gogarage/garage/node/s3/sigv4"
)

// Field is one field of a POST form, in the order sent.
type Field struct {
	Name, Value string
}

// LengthRange bounds the length of the uploaded file; Max < 0 means no
// bound.
type LengthRange struct {
	Min, Max int64
}

// Check returns EntityTooSmall or EntityTooLarge when n is outside the
// range.
func (r LengthRange) Check(n int64) error {
	if n < r.Min {
		return s3err.New(s3err.EntityTooSmall, "Your proposed upload is smaller than the minimum allowed size").With("ProposedSize", strconvFormat(n)).With("MinSizeAllowed", strconvFormat(r.Min))
	}
	if r.Max >= 0 && n > r.Max {
		return s3err.New(s3err.EntityTooLarge, "").With("ProposedSize", strconvFormat(n)).With("MaxSizeAllowed", strconvFormat(r.Max))
	}
	return nil
}

// Upload is a verified POST upload.
type Upload struct {
	AccessKeyID string
	// Key is the object key, ${filename} substituted.
	Key    string
	Length LengthRange
	// Fields maps the lower-case names of the form fields to their
	// values (the key field substituted).
	Fields map[string]string
}

// Verifier checks POST uploads addressed to one region.
type Verifier struct {
	Region string
	Secret sigv4.SecretFunc
}

// Verify checks the form of a POST upload to bucket, whose file part is
// called filename, at time now: the SigV4 fields, the signature over the
// policy, the policy's expiration and every condition, and that every
// field is covered by a condition. Errors: InvalidArgument (missing
// fields), InvalidPolicyDocument, AccessDenied (expired, condition
// failed), SignatureDoesNotMatch, InvalidAccessKeyId,
// AuthorizationQueryParametersError.
func (v Verifier) Verify(form []Field, bucket, filename string, now time.Time) (Upload, error) {
	fields, err := fieldMap(form)
	if err != nil {
		return Upload{}, err
	}
	ak, err := v.checkSignature(fields, now)
	if err != nil {
		return Upload{}, err
	}
	p, err := ParsePolicy(fields["policy"])
	if err != nil {
		return Upload{}, err
	}
	if now.After(p.Expiration) {
		return Upload{}, s3err.New(s3err.AccessDenied, "Invalid according to Policy: Policy expired.")
	}
	fields["key"] = strings.ReplaceAll(fields["key"], "${filename}", filename)
	fields["bucket"] = bucket
	length, err := p.Check(fields)
	if err != nil {
		return Upload{}, err
	}
	return Upload{AccessKeyID: ak, Key: fields["key"], Length: length, Fields: fields}, nil
}

// fieldMap indexes the form by lower-case field name; it requires the
// key and policy fields and refuses repeated fields.
func fieldMap(form []Field) (map[string]string, error) {
	m := map[string]string{}
	for _, f := range form {
		n := strings.ToLower(f.Name)
		if _, dup := m[n]; dup {
			return nil, s3err.New(s3err.InvalidArgument, "POST requires exactly one %s field.", n)
		}
		m[n] = f.Value
	}
	for _, req := range []string{"key", "policy", "x-amz-algorithm", "x-amz-credential", "x-amz-date", "x-amz-signature"} {
		if _, ok := m[req]; !ok {
			return nil, s3err.New(s3err.InvalidArgument, "Bucket POST must contain a field named '%s'.", req)
		}
	}
	return m, nil
}

// Check evaluates the policy's conditions on the form fields (lower-case
// names, the bucket under "bucket"): every condition holds and every
// field but the exempt ones is named by a condition. It returns the
// allowed file length.
func (p Policy) Check(fields map[string]string) (LengthRange, error) {
	length := LengthRange{Min: 0, Max: -1}
	covered := map[string]bool{}
	for _, c := range p.Conditions {
		if c.Op == OpLengthRange {
			length = LengthRange{Min: c.Min, Max: c.Max}
			continue
		}
		covered[c.Field] = true
		if !c.holds(fields[c.Field]) {
			return LengthRange{}, conditionFailed(c)
		}
	}
	for _, n := range slices.Sorted(maps.Keys(fields)) {
		if !covered[n] && !exempt(n) {
			return LengthRange{}, s3err.New(s3err.AccessDenied, "Invalid according to Policy: Extra input fields: %s", n)
		}
	}
	return length, nil
}

// holds reports whether a field's value satisfies an eq or starts-with
// condition.
func (c Condition) holds(v string) bool {
	if c.Op == OpEq {
		return v == c.Value
	}
	return strings.HasPrefix(v, c.Value)
}

// exempt reports whether a form field needs no condition: the
// signature, the policy, the file, x-ignore-* fields, and the bucket
// (which comes from the URL).
func exempt(name string) bool {
	switch name {
	case "x-amz-signature", "policy", "file", "bucket":
		return true
	}
	return strings.HasPrefix(name, "x-ignore-")
}

// conditionFailed returns the AccessDenied error of a failed condition.
func conditionFailed(c Condition) error {
	return s3err.New(s3err.AccessDenied, "Invalid according to Policy: Policy Condition failed: [\"%s\", \"$%s\", \"%s\"]", c.Op, c.Field, c.Value)
}
