package sigv4

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gogarage/garage/node/s3/s3err"
)

// DefaultMaxSkew is the largest difference S3 tolerates between a
// request's date and the server's clock.
const DefaultMaxSkew = 15 * time.Minute

// ErrUnsigned is the cause of the AccessDenied error Verify returns for a
// request carrying no signature at all: callers that serve anonymous
// requests test for it with errors.Is.
var ErrUnsigned = errors.New("request is not signed")

// ErrUnknownKey is returned (possibly wrapped) by a SecretFunc for an
// access key id it does not know; Verify turns it into InvalidAccessKeyId.
var ErrUnknownKey = errors.New("unknown access key id")

// SecretFunc returns the secret of an access key id. It returns an error
// wrapping ErrUnknownKey for an unknown id; any other error is passed on
// (an *s3err.Error keeps its code, anything else becomes InternalError).
type SecretFunc func(accessKeyID string) (secret string, err error)

// Verifier checks the signatures of requests addressed to one region.
type Verifier struct {
	Region  string
	Service string        // "s3" when empty
	MaxSkew time.Duration // DefaultMaxSkew when zero
	Secret  SecretFunc
	Keys    *KeyCache // derived signing keys; nil derives each time
}

// Result is what a verified request is known to be.
type Result struct {
	AccessKeyID string
	Presigned   bool
	Payload     Payload
	// ContentSHA256 is the declared digest when Payload is PayloadSHA256.
	ContentSHA256 []byte
	// Trailers are the lower-case header names x-amz-trailer announced.
	Trailers []string
	// Signing is what the aws-chunked decoder needs to check the chunk
	// signatures that follow the seed.
	Signing Signing
}

// Signing is the state chunk signatures are chained from.
type Signing struct {
	Key   []byte
	Time  time.Time
	Scope Scope
	Seed  string // the request's signature, lower-case hex
}

// Verify checks the signature of r at time now and returns who signed it
// and how its body is authenticated. Errors are *s3err.Error: AccessDenied
// (wrapping ErrUnsigned when r is not signed; expired or not yet valid
// presigned requests), AuthorizationHeaderMalformed,
// AuthorizationQueryParametersError, RequestTimeTooSkewed,
// InvalidAccessKeyId, SignatureDoesNotMatch, InvalidRequest,
// InvalidArgument.
func (v Verifier) Verify(r Request, now time.Time) (Result, error) {
	a, err := parseRequestAuth(r)
	if err != nil {
		return Result{}, err
	}
	if err := v.checkAuth(r, &a, now); err != nil {
		return Result{}, err
	}
	res, hash, err := payloadOf(r, a)
	if err != nil {
		return Result{}, err
	}
	key, err := v.signingKey(a)
	if err != nil {
		return Result{}, err
	}
	if err := checkSignature(r, a, key, hash); err != nil {
		return Result{}, err
	}
	res.AccessKeyID, res.Presigned = a.AccessKeyID, a.Presigned
	res.Signing = Signing{Key: key, Time: a.Time, Scope: a.Scope, Seed: strings.ToLower(a.Signature)}
	return res, nil
}

// parseRequestAuth finds and parses the signature r carries, in its
// Authorization header or its query.
func parseRequestAuth(r Request) (Auth, error) {
	params, err := parseQuery(r.RawQuery)
	if err != nil {
		return Auth{}, s3err.New(s3err.InvalidURI, "Couldn't parse the query string: %v", err)
	}
	_, inQuery := queryGet(params, QueryAlgorithm)
	_, hasCred := queryGet(params, QueryCredential)
	inQuery = inQuery || hasCred
	inHeader := r.Has("Authorization")
	switch {
	case inHeader && inQuery:
		return Auth{}, s3err.New(s3err.InvalidArgument, "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or the Authorization header should be specified")
	case inHeader:
		return ParseAuthorization(r.Get("Authorization"))
	case inQuery:
		return ParsePresigned(r.RawQuery)
	}
	return Auth{}, s3err.Wrap(s3err.AccessDenied, ErrUnsigned)
}

// checkAuth checks a's scope, time and signed headers; it sets a.Time for
// header authentication.
func (v Verifier) checkAuth(r Request, a *Auth, now time.Time) error {
	if err := v.checkScope(a.Scope); err != nil {
		return err
	}
	if !a.Presigned {
		t, err := headerTime(r)
		if err != nil {
			return err
		}
		a.Time = t
	}
	if a.Time.Format(DateFormat) != a.Scope.Date {
		return v.malformed(a, fmt.Errorf("credential date %s is not the date of the request %s", a.Scope.Date, a.Time.Format(TimeFormat)))
	}
	if err := v.checkTime(*a, now); err != nil {
		return err
	}
	return checkSignedHeaders(r, *a)
}

// checkScope checks the region and service of the credential scope.
func (v Verifier) checkScope(s Scope) error {
	service := cmp.Or(v.Service, "s3")
	if s.Service != service {
		return s3err.New(s3err.AuthorizationHeaderMalformed,
			"The authorization header is malformed; incorrect service %q. This endpoint belongs to %q.", s.Service, service)
	}
	if s.Region != v.Region {
		return s3err.New(s3err.AuthorizationHeaderMalformed,
			"The authorization header is malformed; the region %q is wrong; expecting %q", s.Region, v.Region).
			With("Region", v.Region)
	}
	return nil
}

// malformed returns the malformed-authorization error of a's form.
func (v Verifier) malformed(a *Auth, err error) error {
	if a.Presigned {
		return malformed(s3err.AuthorizationQueryParamsError, err)
	}
	return malformed(s3err.AuthorizationHeaderMalformed, err)
}

// headerTime returns the request time of header authentication: the
// X-Amz-Date header, or else the Date header.
func headerTime(r Request) (time.Time, error) {
	if d := r.Get("X-Amz-Date"); d != "" {
		t, err := parseAmzDate(d)
		if err != nil {
			return time.Time{}, malformed(s3err.AccessDenied, fmt.Errorf("x-amz-date: %w", err))
		}
		return t, nil
	}
	if d := r.Get("Date"); d != "" {
		t, err := time.Parse(time.RFC1123, d)
		if err != nil {
			return time.Time{}, malformed(s3err.AccessDenied, fmt.Errorf("date header %q is not an RFC 1123 date", d))
		}
		return t.UTC(), nil
	}
	return time.Time{}, s3err.New(s3err.AccessDenied, "AWS authentication requires a valid Date or x-amz-date header")
}

// checkTime checks a's time against now: the skew for header
// authentication, the validity window for presigned requests.
func (v Verifier) checkTime(a Auth, now time.Time) error {
	skew := v.MaxSkew
	if skew == 0 {
		skew = DefaultMaxSkew
	}
	if a.Presigned {
		return presignedWindow(a, now, skew)
	}
	if d := now.Sub(a.Time); d > skew || d < -skew {
		return s3err.New(s3err.RequestTimeTooSkewed, "").
			With("RequestTime", a.Time.Format(TimeFormat)).
			With("ServerTime", now.UTC().Format(time.RFC3339)).
			With("MaxAllowedSkewMilliseconds", strconv.FormatInt(skew.Milliseconds(), 10))
	}
	return nil
}

// presignedWindow checks that now lies within a presigned request's
// validity, allowing skew before its start.
func presignedWindow(a Auth, now time.Time, skew time.Duration) error {
	if now.After(a.Time.Add(a.Expires)) {
		return s3err.New(s3err.AccessDenied, "Request has expired").
			With("X-Amz-Expires", strconv.FormatInt(int64(a.Expires/time.Second), 10)).
			With("Expires", a.Time.Add(a.Expires).Format(time.RFC3339)).
			With("ServerTime", now.UTC().Format(time.RFC3339))
	}
	if a.Time.Sub(now) > skew {
		return s3err.New(s3err.AccessDenied, "Request is not valid yet")
	}
	return nil
}

// checkSignedHeaders checks that host is signed and, for header
// authentication, that every x-amz-* header present is signed.
func checkSignedHeaders(r Request, a Auth) error {
	if !slices.Contains(a.SignedHeaders, "host") {
		if a.Presigned {
			return malformed(s3err.AuthorizationQueryParamsError, errors.New("the host header must be signed"))
		}
		return malformed(s3err.AuthorizationHeaderMalformed, errors.New("the host header must be signed"))
	}
	if a.Presigned {
		return nil
	}
	var unsigned []string
	for _, k := range slices.Sorted(maps.Keys(r.Header)) {
		n := strings.ToLower(k)
		if strings.HasPrefix(n, "x-amz-") && !slices.Contains(a.SignedHeaders, n) {
			unsigned = append(unsigned, n)
		}
	}
	if len(unsigned) > 0 {
		return s3err.New(s3err.AccessDenied, "There were headers present in the request which were not signed").
			With("HeadersNotSigned", strings.Join(unsigned, ", "))
	}
	return nil
}

// payloadOf returns the payload part of the result and the payload hash
// line of the canonical request.
func payloadOf(r Request, a Auth) (Result, string, error) {
	declared, err := declaredPayload(r, a)
	if err != nil {
		return Result{}, "", err
	}
	mode, sum, err := ParsePayload(declared)
	if err != nil {
		return Result{}, "", err
	}
	if a.Presigned && mode.Chunked() {
		return Result{}, "", s3err.New(s3err.InvalidRequest, "%s cannot be used with a presigned request", declared)
	}
	res := Result{Payload: mode, ContentSHA256: sum}
	if r.Has(HeaderTrailer) {
		if !mode.Trailing() {
			return Result{}, "", s3err.New(s3err.InvalidRequest, "x-amz-trailer requires a STREAMING-*-TRAILER x-amz-content-sha256")
		}
		if res.Trailers, err = ParseTrailerNames(r.Get(HeaderTrailer)); err != nil {
			return Result{}, "", err
		}
	}
	return res, declared, nil
}

// declaredPayload returns the payload hash the signer used: the
// x-amz-content-sha256 header for header authentication (required, as S3
// requires it), the X-Amz-Content-Sha256 parameter or UNSIGNED-PAYLOAD for
// presigned requests.
func declaredPayload(r Request, a Auth) (string, error) {
	if a.Presigned {
		params, _ := parseQuery(r.RawQuery)
		if v, ok := queryGet(params, QueryContentSHA256); ok {
			return v, nil
		}
		return UnsignedPayload, nil
	}
	if !r.Has(HeaderContentSHA256) {
		return "", s3err.New(s3err.InvalidRequest, "Missing required header for this request: x-amz-content-sha256")
	}
	return r.Get(HeaderContentSHA256), nil
}

// signingKey looks the secret of a's access key up and derives the
// signing key of a's scope.
func (v Verifier) signingKey(a Auth) ([]byte, error) {
	secret, err := v.Secret(a.AccessKeyID)
	switch {
	case errors.Is(err, ErrUnknownKey):
		return nil, s3err.Wrap(s3err.InvalidAccessKeyID, err).With("AWSAccessKeyId", a.AccessKeyID)
	case err != nil:
		return nil, s3err.From(fmt.Errorf("look up access key %s: %w", a.AccessKeyID, err))
	}
	return v.Keys.key(secret, a.Scope), nil
}

// checkSignature recomputes the signature of r and compares it with a's.
func checkSignature(r Request, a Auth, key []byte, payloadHash string) error {
	var skip []string
	if a.Presigned {
		skip = []string{QuerySignature}
	}
	canonical, err := CanonicalRequest(r, a.SignedHeaders, payloadHash, skip...)
	if err != nil {
		return s3err.New(s3err.InvalidURI, "Couldn't parse the specified URI: %v", err)
	}
	sts := StringToSign(a.Time, a.Scope, canonical)
	if !signaturesEqual(a.Signature, Sign(key, sts)) {
		return s3err.New(s3err.SignatureDoesNotMatch, "").
			With("AWSAccessKeyId", a.AccessKeyID).
			With("StringToSign", sts).
			With("CanonicalRequest", canonical)
	}
	return nil
}
