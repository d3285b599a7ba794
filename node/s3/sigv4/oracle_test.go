package sigv4

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsv4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/gogarage/garage/node/s3/s3err"
)

// oddRunes are the characters generated keys, values and names draw from.
var oddRunes = []rune("aZ09-_.~ /&+=?%\"'é€😀#;:,!*()[]@$<>\\^`{}|\t")

// randString returns a random string of up to n runes from oddRunes.
func randString(rng *rand.Rand, n int) string {
	var b strings.Builder
	for range rng.IntN(n) + 1 {
		b.WriteRune(oddRunes[rng.IntN(len(oddRunes))])
	}
	return b.String()
}

// genRequest returns a random S3-like request as an SDK client would
// build it: the path escaped the S3 way, odd query parameters and
// metadata headers.
func genRequest(rng *rand.Rand) *http.Request {
	key := randString(rng, 20)
	u := &url.URL{Scheme: "http", Host: "s3.garage.test:3900", Path: "/bucket/" + key,
		RawPath: "/bucket/" + URIEncode(key, true)}
	q := url.Values{}
	for range rng.IntN(4) {
		q.Add(strings.TrimSpace(randString(rng, 6)), randString(rng, 10))
	}
	if rng.IntN(3) == 0 {
		q.Set("uploads", "")
	}
	u.RawQuery = q.Encode()
	method := []string{"GET", "PUT", "POST", "DELETE", "HEAD"}[rng.IntN(5)]
	req := &http.Request{Method: method, URL: u, Host: u.Host, Header: http.Header{}}
	for i := range rng.IntN(3) {
		v := strings.ReplaceAll(randString(rng, 12), "\t", " ")
		req.Header.Add("X-Amz-Meta-K"+strconv.Itoa(i), "  "+v+"   with  gaps ")
	}
	if rng.IntN(2) == 0 {
		req.Header.Set("Content-Type", "text/plain;  charset=utf-8")
		req.ContentLength = int64(rng.IntN(1000) + 1)
	}
	return req
}

// viewOf returns the view the HTTP adapter would build of a client
// request once it reaches the server.
func viewOf(req *http.Request) Request {
	h := map[string][]string{}
	for k, v := range req.Header {
		h[k] = append([]string(nil), v...)
	}
	if req.ContentLength > 0 {
		h["Content-Length"] = []string{strconv.FormatInt(req.ContentLength, 10)}
	}
	host := req.Host
	if host == "" {
		host = req.URL.Host
	}
	return Request{Method: req.Method, RawPath: req.URL.EscapedPath(), RawQuery: req.URL.RawQuery, Host: host, Header: h}
}

// oracleSecrets holds the keys the oracle tests sign with.
func oracleSecrets() map[string]string {
	return map[string]string{"GK31c2f218a2e44f485b94239e": "b892c0665f0ada8a4755dae98baa3b133590e11dae3bcc1f9d2f3ddf3f7e35c6"}
}

// oracleVerifier verifies with oracleSecrets in garage's region.
func oracleVerifier() Verifier {
	return Verifier{Region: "garage", Secret: staticSecrets(oracleSecrets())}
}

// awsSign signs req with the AWS SDK's signer at t with payloadHash.
func awsSign(t *testing.T, req *http.Request, payloadHash string, at time.Time) {
	t.Helper()
	req.Header.Set("X-Amz-Content-Sha256", payloadHash)
	s := awsv4.NewSigner(func(o *awsv4.SignerOptions) { o.DisableURIPathEscaping = true })
	creds := aws.Credentials{AccessKeyID: "GK31c2f218a2e44f485b94239e", SecretAccessKey: oracleSecrets()["GK31c2f218a2e44f485b94239e"]}
	if err := s.SignHTTP(context.Background(), creds, req, payloadHash, "s3", "garage", at); err != nil {
		t.Fatalf("SignHTTP: %v", err)
	}
}

// awsPresign presigns req with the AWS SDK's signer at t for expires.
func awsPresign(t *testing.T, req *http.Request, at time.Time, expires time.Duration) *http.Request {
	t.Helper()
	q := req.URL.Query()
	q.Set("X-Amz-Expires", strconv.Itoa(int(expires/time.Second)))
	req.URL.RawQuery = q.Encode()
	s := awsv4.NewSigner(func(o *awsv4.SignerOptions) { o.DisableURIPathEscaping = true })
	creds := aws.Credentials{AccessKeyID: "GK31c2f218a2e44f485b94239e", SecretAccessKey: oracleSecrets()["GK31c2f218a2e44f485b94239e"], SessionToken: "ignored-token"}
	signed, hdr, err := s.PresignHTTP(context.Background(), creds, req, UnsignedPayload, "s3", "garage", at)
	if err != nil {
		t.Fatalf("PresignHTTP: %v", err)
	}
	u, err := url.Parse(signed)
	if err != nil {
		t.Fatal(err)
	}
	out := &http.Request{Method: req.Method, URL: u, Host: req.Host, Header: hdr.Clone()}
	out.Header.Del("Host")
	return out
}

// oracleTime is when the oracle tests sign.
func oracleTime() time.Time { return time.Date(2024, 2, 29, 23, 59, 30, 0, time.UTC) }

func TestAWSSignerAccepted(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 500 {
		req := genRequest(rng)
		awsSign(t, req, UnsignedPayload, oracleTime())
		res, err := oracleVerifier().Verify(viewOf(req), oracleTime().Add(14*time.Minute))
		if err != nil {
			t.Fatalf("request %d %s %s?%s: %v", i, req.Method, req.URL.EscapedPath(), req.URL.RawQuery, err)
		}
		if res.AccessKeyID != "GK31c2f218a2e44f485b94239e" || res.Payload != PayloadUnsigned {
			t.Fatalf("request %d: result %+v", i, res)
		}
	}
}

func TestAWSPresignedAccepted(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range 300 {
		req := genRequest(rng)
		req.ContentLength = 0
		expires := time.Duration(rng.IntN(604800)+1) * time.Second
		p := awsPresign(t, req, oracleTime(), expires)
		res, err := oracleVerifier().Verify(viewOf(p), oracleTime().Add(expires))
		if err != nil {
			t.Fatalf("request %d %s %s: %v", i, p.Method, p.URL, err)
		}
		if !res.Presigned || res.Payload != PayloadUnsigned {
			t.Fatalf("request %d: result %+v", i, res)
		}
		_, err = oracleVerifier().Verify(viewOf(p), oracleTime().Add(expires+time.Second))
		if !s3err.Is(err, s3err.AccessDenied) {
			t.Fatalf("request %d one second after expiry: %v", i, err)
		}
	}
}

// tamper is one way of altering a signed request view.
type tamper struct {
	name string
	do   func(r *Request)
	want s3err.Code
}

// headerTampers alter a header-signed request.
func headerTampers() []tamper {
	return []tamper{
		{"method", func(r *Request) { r.Method = "PATCH" }, s3err.SignatureDoesNotMatch},
		{"path", func(r *Request) { r.RawPath += "x" }, s3err.SignatureDoesNotMatch},
		{"path case", func(r *Request) { r.RawPath = strings.ToUpper(r.RawPath) }, s3err.SignatureDoesNotMatch},
		{"query added", func(r *Request) { r.RawQuery += "&acl" }, s3err.SignatureDoesNotMatch},
		{"host", func(r *Request) { r.Host = "evil.test" }, s3err.SignatureDoesNotMatch},
		{"signed header value", func(r *Request) { r.Header["X-Amz-Date"] = []string{"20240229T235931Z"} }, s3err.SignatureDoesNotMatch},
		{"payload hash", func(r *Request) { r.Header["X-Amz-Content-Sha256"] = []string{emptySHA256} }, s3err.SignatureDoesNotMatch},
		{"signature digit", func(r *Request) { flipSignature(r) }, s3err.SignatureDoesNotMatch},
		{"unsigned amz header", func(r *Request) { r.Header["X-Amz-Copy-Source"] = []string{"/b/k"} }, s3err.AccessDenied},
		{"unknown key", func(r *Request) { replaceAuth(r, "GK31c2f218a2e44f485b94239e", "GKnobody") }, s3err.InvalidAccessKeyID},
		{"wrong region", func(r *Request) { replaceAuth(r, "/garage/", "/us-east-1/") }, s3err.AuthorizationHeaderMalformed},
		{"wrong service", func(r *Request) { replaceAuth(r, "/s3/", "/iam/") }, s3err.AuthorizationHeaderMalformed},
		{"scope date", func(r *Request) { replaceAuth(r, "/20240229/", "/20240301/") }, s3err.AuthorizationHeaderMalformed},
		{"no content sha", func(r *Request) { delete(r.Header, "X-Amz-Content-Sha256") }, s3err.InvalidRequest},
		{"host unsigned", func(r *Request) { replaceAuth(r, "host;", "") }, s3err.AuthorizationHeaderMalformed},
		{"no auth", func(r *Request) { delete(r.Header, "Authorization") }, s3err.AccessDenied},
		{"both auths", func(r *Request) { r.RawQuery += "&X-Amz-Algorithm=AWS4-HMAC-SHA256" }, s3err.InvalidArgument},
	}
}

// flipSignature changes the last hex digit of the signature of r.
func flipSignature(r *Request) {
	a := r.Header["Authorization"][0]
	last := a[len(a)-1]
	r.Header["Authorization"] = []string{a[:len(a)-1] + map[bool]string{true: "1", false: "0"}[last == '0']}
}

// replaceAuth replaces old with new in the Authorization header of r.
func replaceAuth(r *Request, old, new string) {
	r.Header["Authorization"] = []string{strings.Replace(r.Header["Authorization"][0], old, new, 1)}
}

func TestTamperedRejected(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for i := range 40 {
		req := genRequest(rng)
		awsSign(t, req, UnsignedPayload, oracleTime())
		for _, tt := range headerTampers() {
			r := viewOf(req)
			tt.do(&r)
			_, err := oracleVerifier().Verify(r, oracleTime())
			if !s3err.Is(err, tt.want) {
				t.Errorf("request %d tampered %s: %v, want %s", i, tt.name, err, tt.want)
			}
		}
	}
}

func TestSkew(t *testing.T) {
	tests := []struct {
		delta time.Duration
		ok    bool
	}{
		{0, true}, {15 * time.Minute, true}, {-15 * time.Minute, true},
		{15*time.Minute + time.Second, false}, {-15*time.Minute - time.Second, false}, {24 * time.Hour, false},
	}
	req := genRequest(rand.New(rand.NewPCG(7, 8)))
	awsSign(t, req, UnsignedPayload, oracleTime())
	for _, tt := range tests {
		_, err := oracleVerifier().Verify(viewOf(req), oracleTime().Add(tt.delta))
		if got := err == nil; got != tt.ok {
			t.Errorf("now = signing time %+v: err %v, want ok=%v", tt.delta, err, tt.ok)
		}
		if !tt.ok && !s3err.Is(err, s3err.RequestTimeTooSkewed) {
			t.Errorf("now = signing time %+v: %v, want RequestTimeTooSkewed", tt.delta, err)
		}
	}
}

func TestPresignedTampered(t *testing.T) {
	req := genRequest(rand.New(rand.NewPCG(9, 10)))
	req.ContentLength = 0
	p := awsPresign(t, req, oracleTime(), time.Hour)
	tests := []struct {
		name string
		do   func(r *Request)
		now  time.Time
		want s3err.Code
	}{
		{"expired", func(*Request) {}, oracleTime().Add(time.Hour + time.Second), s3err.AccessDenied},
		{"not yet valid", func(*Request) {}, oracleTime().Add(-16 * time.Minute), s3err.AccessDenied},
		{"expires raised", func(r *Request) {
			r.RawQuery = strings.Replace(r.RawQuery, "X-Amz-Expires=3600", "X-Amz-Expires=3601", 1)
		}, oracleTime(), s3err.SignatureDoesNotMatch},
		{"expires too long", func(r *Request) {
			r.RawQuery = strings.Replace(r.RawQuery, "X-Amz-Expires=3600", "X-Amz-Expires=604801", 1)
		}, oracleTime(), s3err.AuthorizationQueryParamsError},
		{"param added", func(r *Request) { r.RawQuery += "&versionId=1" }, oracleTime(), s3err.SignatureDoesNotMatch},
		{"path", func(r *Request) { r.RawPath = "/other" + r.RawPath }, oracleTime(), s3err.SignatureDoesNotMatch},
		{"no signature", func(r *Request) { r.RawQuery = dropParam(r.RawQuery, QuerySignature) }, oracleTime(), s3err.AuthorizationQueryParamsError},
		{"no date", func(r *Request) { r.RawQuery = dropParam(r.RawQuery, QueryDate) }, oracleTime(), s3err.AuthorizationQueryParamsError},
		{"streaming payload", func(r *Request) { r.RawQuery += "&X-Amz-Content-Sha256=" + StreamingPayload }, oracleTime(), s3err.InvalidRequest},
	}
	for _, tt := range tests {
		r := viewOf(p)
		tt.do(&r)
		_, err := oracleVerifier().Verify(r, tt.now)
		if !s3err.Is(err, tt.want) {
			t.Errorf("%s: %v, want %s", tt.name, err, tt.want)
		}
	}
}

// dropParam removes the parameter called name from a raw query.
func dropParam(raw, name string) string {
	var keep []string
	for _, p := range strings.Split(raw, "&") {
		if !strings.HasPrefix(p, name+"=") {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, "&")
}

func TestSHA256PayloadSigned(t *testing.T) {
	body := "hello, garage"
	sum := fmt.Sprintf("%x", sha256.Sum256([]byte(body)))
	req := genRequest(rand.New(rand.NewPCG(11, 12)))
	awsSign(t, req, sum, oracleTime())
	res, err := oracleVerifier().Verify(viewOf(req), oracleTime())
	if err != nil {
		t.Fatal(err)
	}
	if res.Payload != PayloadSHA256 || fmt.Sprintf("%x", res.ContentSHA256) != sum {
		t.Fatalf("result %+v", res)
	}
	tests := []struct {
		body string
		want s3err.Code
	}{
		{body, ""}, {body + "!", s3err.XAmzContentSHA256Mismatch}, {body[:5], s3err.XAmzContentSHA256Mismatch}, {"", s3err.XAmzContentSHA256Mismatch},
	}
	for _, tt := range tests {
		got, err := io.ReadAll(NewBody(iotest.OneByteReader(strings.NewReader(tt.body)), res, ChunkOptions{}))
		if tt.want == "" && (err != nil || string(got) != body) {
			t.Errorf("body %q: read %q, %v", tt.body, got, err)
		}
		if tt.want != "" && !s3err.Is(err, tt.want) {
			t.Errorf("body %q: %v, want %s", tt.body, err, tt.want)
		}
	}
}
