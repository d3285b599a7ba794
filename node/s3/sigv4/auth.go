package sigv4

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gogarage/garage/node/s3/s3err"
)

// MaxPresignExpiry is the longest validity of a presigned request.
const MaxPresignExpiry = 7 * 24 * time.Hour

// Query parameter names of presigned requests.
const (
	QueryAlgorithm     = "X-Amz-Algorithm"
	QueryCredential    = "X-Amz-Credential"
	QueryDate          = "X-Amz-Date"
	QueryExpires       = "X-Amz-Expires"
	QuerySignedHeaders = "X-Amz-SignedHeaders"
	QuerySignature     = "X-Amz-Signature"
	QueryContentSHA256 = "X-Amz-Content-Sha256"
)

// Auth is the signature a request carries, parsed but not verified.
type Auth struct {
	AccessKeyID   string
	Scope         Scope
	SignedHeaders []string // lower case, in the order the client gave
	Signature     string   // 64 hex digits
	// Presigned is set for query-string authentication; Time and Expires
	// are then the X-Amz-Date and X-Amz-Expires parameters.
	Presigned bool
	Time      time.Time
	Expires   time.Duration
}

// ParseAuthorization parses an Authorization header value of the form
// "AWS4-HMAC-SHA256 Credential=AK/date/region/service/aws4_request,
// SignedHeaders=a;b, Signature=hex". Errors are AuthorizationHeaderMalformed,
// or InvalidRequest for another algorithm.
func ParseAuthorization(value string) (Auth, error) {
	alg, rest, _ := strings.Cut(value, " ")
	if alg != Algorithm {
		return Auth{}, s3err.New(s3err.InvalidRequest,
			"The authorization mechanism you have provided is not supported. Please use %s.", Algorithm)
	}
	fields, err := authFields(rest)
	if err != nil {
		return Auth{}, malformed(s3err.AuthorizationHeaderMalformed, err)
	}
	a, err := authFromFields(fields["Credential"], fields["SignedHeaders"], fields["Signature"])
	if err != nil {
		return Auth{}, malformed(s3err.AuthorizationHeaderMalformed, err)
	}
	return a, nil
}

// authFields splits "K1=v1, K2=v2, K3=v3" into its three required fields.
func authFields(s string) (map[string]string, error) {
	fields := map[string]string{}
	for part := range strings.SplitSeq(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		switch {
		case !ok:
			return nil, fmt.Errorf("component %q is not key=value", strings.TrimSpace(part))
		case k != "Credential" && k != "SignedHeaders" && k != "Signature":
			return nil, fmt.Errorf("unknown component %q", k)
		case fields[k] != "":
			return nil, fmt.Errorf("component %s given twice", k)
		case v == "":
			return nil, fmt.Errorf("component %s is empty", k)
		}
		fields[k] = v
	}
	for _, k := range []string{"Credential", "SignedHeaders", "Signature"} {
		if fields[k] == "" {
			return nil, fmt.Errorf("missing component %s", k)
		}
	}
	return fields, nil
}

// authFromFields parses the three values common to both forms.
func authFromFields(credential, signedHeaders, signature string) (Auth, error) {
	ak, scope, err := ParseCredential(credential)
	if err != nil {
		return Auth{}, err
	}
	signed, err := ParseSignedHeaders(signedHeaders)
	if err != nil {
		return Auth{}, err
	}
	if err := parseSignature(signature); err != nil {
		return Auth{}, err
	}
	return Auth{AccessKeyID: ak, Scope: scope, SignedHeaders: signed, Signature: signature}, nil
}

// ParseCredential splits "AK/yyyymmdd/region/service/aws4_request" into
// the access key id and the scope. The access key id is everything before
// the last four components.
func ParseCredential(s string) (string, Scope, error) {
	parts := strings.Split(s, "/")
	if len(parts) < 5 {
		return "", Scope{}, fmt.Errorf("credential %q is not AK/date/region/service/aws4_request", s)
	}
	n := len(parts)
	ak := strings.Join(parts[:n-4], "/")
	scope := Scope{Date: parts[n-4], Region: parts[n-3], Service: parts[n-2]}
	switch {
	case ak == "":
		return "", Scope{}, errors.New("credential has an empty access key id")
	case parts[n-1] != scopeTerminator:
		return "", Scope{}, fmt.Errorf("credential scope must end with %s, not %q", scopeTerminator, parts[n-1])
	case scope.Region == "" || scope.Service == "":
		return "", Scope{}, fmt.Errorf("credential %q has an empty region or service", s)
	}
	if _, err := time.Parse(DateFormat, scope.Date); err != nil || len(scope.Date) != 8 {
		return "", Scope{}, fmt.Errorf("credential date %q is not yyyymmdd", scope.Date)
	}
	return ak, scope, nil
}

// ParseSignedHeaders splits "a;b;c" into header names, which must be
// non-empty, lower case, valid header tokens and distinct.
func ParseSignedHeaders(s string) ([]string, error) {
	names := strings.Split(s, ";")
	for i, n := range names {
		switch {
		case n == "":
			return nil, fmt.Errorf("signed headers %q hold an empty name", s)
		case n != strings.ToLower(n):
			return nil, fmt.Errorf("signed header %q is not lower case", n)
		case !validToken(n):
			return nil, fmt.Errorf("signed header %q is not a header name", n)
		case slices.Contains(names[:i], n):
			return nil, fmt.Errorf("signed header %q given twice", n)
		}
	}
	return names, nil
}

// validToken reports whether s is a non-empty run of token bytes.
func validToken(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isTokenByte(s[i]) {
			return false
		}
	}
	return s != ""
}

// ParsePresigned parses the authentication parameters of a presigned
// request's raw query. Errors are AuthorizationQueryParametersError, or
// InvalidRequest for another algorithm.
func ParsePresigned(rawQuery string) (Auth, error) {
	params, err := parseQuery(rawQuery)
	if err != nil {
		return Auth{}, malformed(s3err.AuthorizationQueryParamsError, err)
	}
	v, err := presignParams(params)
	if err != nil {
		return Auth{}, malformed(s3err.AuthorizationQueryParamsError, err)
	}
	if v[QueryAlgorithm] != Algorithm {
		return Auth{}, s3err.New(s3err.InvalidRequest,
			"X-Amz-Algorithm only supports %q", Algorithm)
	}
	a, err := presignedAuth(v)
	if err != nil {
		return Auth{}, malformed(s3err.AuthorizationQueryParamsError, err)
	}
	return a, nil
}

// presignParams returns the six authentication parameters, each required
// exactly once.
func presignParams(params []queryParam) (map[string]string, error) {
	names := []string{QueryAlgorithm, QueryCredential, QueryDate, QueryExpires, QuerySignedHeaders, QuerySignature}
	v := map[string]string{}
	for _, p := range params {
		if !slices.Contains(names, p.name) {
			continue
		}
		if _, dup := v[p.name]; dup {
			return nil, fmt.Errorf("query parameter %s given twice", p.name)
		}
		v[p.name] = p.value
	}
	for _, n := range names {
		if v[n] == "" {
			return nil, fmt.Errorf("query parameter %s is missing or empty", n)
		}
	}
	return v, nil
}

// presignedAuth builds the Auth of a presigned request from its
// parameters.
func presignedAuth(v map[string]string) (Auth, error) {
	a, err := authFromFields(v[QueryCredential], v[QuerySignedHeaders], v[QuerySignature])
	if err != nil {
		return Auth{}, err
	}
	if a.Time, err = parseAmzDate(v[QueryDate]); err != nil {
		return Auth{}, err
	}
	secs, err := strconv.ParseInt(v[QueryExpires], 10, 64)
	switch {
	case err != nil || secs < 0 || v[QueryExpires][0] == '+':
		return Auth{}, fmt.Errorf("X-Amz-Expires %q is not a non-negative integer", v[QueryExpires])
	case secs > int64(MaxPresignExpiry/time.Second):
		return Auth{}, fmt.Errorf("X-Amz-Expires must be less than a week (in seconds) that is 604800, not %d", secs)
	}
	a.Presigned, a.Expires = true, time.Duration(secs)*time.Second
	return a, nil
}

// parseAmzDate parses an ISO 8601 basic timestamp (yyyymmddThhmmssZ).
func parseAmzDate(s string) (time.Time, error) {
	t, err := time.Parse(TimeFormat, s)
	if err != nil || len(s) != len(TimeFormat) {
		return time.Time{}, fmt.Errorf("date %q is not in the form yyyymmddThhmmssZ", s)
	}
	return t, nil
}

// malformed returns an error with code whose message adds err's text to
// the code's default message.
func malformed(code s3err.Code, err error) *s3err.Error {
	return &s3err.Error{Code: code, Message: code.DefaultMessage() + " " + capitalize(err.Error()) + ".", Err: err}
}

// capitalize upper-cases the first byte of s if it is a lower-case
// letter.
func capitalize(s string) string {
	if s != "" && 'a' <= s[0] && s[0] <= 'z' {
		return string(s[0]-'a'+'A') + s[1:]
	}
	return s
}
