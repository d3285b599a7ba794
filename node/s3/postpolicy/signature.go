package postpolicy

import (
	"crypto/hmac"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gogarage/garage/node/s3/s3err"
	"github.com/gogarage/garage/node/s3/sigv4"
)

// checkSignature checks the SigV4 fields of the form and the signature
// over the policy, and returns the access key id.
func (v Verifier) checkSignature(f map[string]string, now time.Time) (string, error) {
	if f["x-amz-algorithm"] != sigv4.Algorithm {
		return "", s3err.New(s3err.InvalidArgument, "Only the %s algorithm is supported for POST uploads.", sigv4.Algorithm)
	}
	ak, scope, err := sigv4.ParseCredential(f["x-amz-credential"])
	if err != nil {
		return "", badAuth(err)
	}
	t, err := time.Parse(sigv4.TimeFormat, f["x-amz-date"])
	if err != nil {
		return "", badAuth(fmt.Errorf("x-amz-date %q is not yyyymmddThhmmssZ", f["x-amz-date"]))
	}
	if err := v.checkScope(scope, t); err != nil {
		return "", err
	}
	secret, err := v.Secret(ak)
	switch {
	case errors.Is(err, sigv4.ErrUnknownKey):
		return "", s3err.Wrap(s3err.InvalidAccessKeyID, err)
	case err != nil:
		return "", s3err.From(fmt.Errorf("look up access key %s: %w", ak, err))
	}
	want := sigv4.Sign(sigv4.SigningKey(secret, scope), f["policy"])
	if !hmac.Equal([]byte(strings.ToLower(f["x-amz-signature"])), []byte(want)) {
		return "", s3err.New(s3err.SignatureDoesNotMatch, "")
	}
	return ak, nil
}

// checkScope checks the credential scope against the region, the s3
// service and the date of the x-amz-date field.
func (v Verifier) checkScope(s sigv4.Scope, t time.Time) error {
	switch {
	case s.Service != "s3":
		return badAuth(fmt.Errorf("credential service %q is not s3", s.Service))
	case s.Region != v.Region:
		return badAuth(fmt.Errorf("credential region %q is wrong; expecting %q", s.Region, v.Region))
	case s.Date != t.Format(sigv4.DateFormat):
		return badAuth(fmt.Errorf("credential date %s is not the date of x-amz-date", s.Date))
	}
	return nil
}

// badAuth returns the error of malformed authentication fields.
func badAuth(err error) error {
	return s3err.New(s3err.AuthorizationQueryParamsError, "Malformed authentication fields: %v.", err)
}

// strconvFormat formats n in decimal.
func strconvFormat(n int64) string { return strconv.FormatInt(n, 10) }
