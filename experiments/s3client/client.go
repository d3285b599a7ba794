package s3client

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/gogarage/garage/node/s3"
	"github.com/gogarage/garage/node/s3/sigv4"
)

// Doer sends a request and returns its response.
type Doer interface {
	Do(r *http.Request) (*http.Response, error)
}

// ErrNoHandler is returned by a Handler whose node is down.
var ErrNoHandler = errors.New("s3client: no S3 handler (the node is down)")

// Handler is a Doer that serves each request synchronously with the
// handler H returns (the current node's), recording the response.
type Handler struct {
	H func() http.Handler
}

// Do serves r in the calling task. An answer the handler aborted, or
// whose body is shorter than its Content-Length, fails as it would on a
// connection.
func (d Handler) Do(r *http.Request) (resp *http.Response, err error) {
	h := d.H()
	if h == nil {
		return nil, ErrNoHandler
	}
	rec := httptest.NewRecorder()
	defer func() {
		if p := recover(); p != nil {
			if p != http.ErrAbortHandler {
				panic(p)
			}
			resp, err = nil, fmt.Errorf("%s %s: %w", r.Method, r.URL.Path, io.ErrUnexpectedEOF)
		}
	}()
	h.ServeHTTP(rec, serverView(r))
	if err := r.Context().Err(); err != nil {
		return nil, err
	}
	res := rec.Result()
	if n, err := strconv.Atoi(res.Header.Get("Content-Length")); err == nil && r.Method != "HEAD" && n != rec.Body.Len() {
		return nil, fmt.Errorf("%s %s: %d of %d bytes: %w", r.Method, r.URL.Path, rec.Body.Len(), n, io.ErrUnexpectedEOF)
	}
	return res, nil
}

// serverView returns r as a server receives it: Content-Length among the
// headers, the request URI set.
func serverView(r *http.Request) *http.Request {
	s := r.Clone(r.Context())
	if r.ContentLength > 0 {
		s.Header.Set("Content-Length", strconv.FormatInt(r.ContentLength, 10))
	}
	s.RequestURI = r.URL.RequestURI()
	return s
}

// Client signs S3 requests for one endpoint with one access key.
type Client struct {
	Doer     Doer
	Endpoint string // "http://host:port"
	KeyID    string
	Secret   string
	Region   string
	// Now is the client's clock, which dates the signatures.
	Now    func() time.Time
	signer *v4.Signer
}

// New returns a client of endpoint through d.
func New(d Doer, endpoint, keyID, secret, region string, now func() time.Time) *Client {
	return &Client{Doer: d, Endpoint: strings.TrimSuffix(endpoint, "/"), KeyID: keyID, Secret: secret,
		Region: region, Now: now, signer: v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true })}
}

// Error is an S3 error answer.
type Error struct {
	Status  int
	Code    string
	Message string
}

func (e *Error) Error() string { return fmt.Sprintf("s3: %d %s: %s", e.Status, e.Code, e.Message) }

// IsCode reports whether err is an S3 error answer with code.
func IsCode(err error, code string) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == code
}

// Call is one request to send.
type Call struct {
	Method      string
	Bucket, Key string
	Query       url.Values
	Header      http.Header
	Body        []byte
}

// Reply is a response read whole.
type Reply struct {
	Status int
	Header http.Header
	Body   []byte
}

// Do signs and sends c, and returns its reply; an error status is an
// *Error.
func (cl *Client) Do(ctx context.Context, c Call) (Reply, error) {
	req, err := cl.request(ctx, c)
	if err != nil {
		return Reply{}, err
	}
	resp, err := cl.Doer.Do(req)
	if err != nil {
		return Reply{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return Reply{}, fmt.Errorf("read %s answer: %w", c.Method, err)
	}
	if resp.StatusCode >= 300 && resp.StatusCode != 304 {
		return Reply{}, parseError(resp.StatusCode, resp.Header.Get(s3.HeaderErrorCode), body)
	}
	return Reply{Status: resp.StatusCode, Header: resp.Header, Body: body}, nil
}

// request builds and signs the HTTP request of c.
func (cl *Client) request(ctx context.Context, c Call) (*http.Request, error) {
	u := cl.Endpoint + "/" + c.Bucket
	if c.Key != "" {
		u += "/" + escapeKey(c.Key)
	}
	if len(c.Query) > 0 {
		u += "?" + encodeQuery(c.Query)
	}
	req, err := http.NewRequestWithContext(ctx, c.Method, u, bytes.NewReader(c.Body))
	if err != nil {
		return nil, fmt.Errorf("build %s %s: %w", c.Method, u, err)
	}
	for k, vs := range c.Header {
		req.Header[k] = vs
	}
	req.ContentLength = int64(len(c.Body))
	sum := sha256.Sum256(c.Body)
	hash := hex.EncodeToString(sum[:])
	req.Header.Set("X-Amz-Content-Sha256", hash)
	creds := aws.Credentials{AccessKeyID: cl.KeyID, SecretAccessKey: cl.Secret}
	if err := cl.signer.SignHTTP(ctx, creds, req, hash, "s3", cl.Region, cl.Now()); err != nil {
		return nil, fmt.Errorf("sign %s %s: %w", c.Method, u, err)
	}
	return req, nil
}

// escapeKey escapes an object key for a path as SigV4 does, keeping its
// slashes: the path is then its own canonical form.
func escapeKey(k string) string { return sigv4.URIEncode(k, true) }

// encodeQuery encodes a query as SigV4 does, sorted by name.
func encodeQuery(q url.Values) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(q)) {
		for _, v := range q[k] {
			parts = append(parts, sigv4.URIEncode(k, false)+"="+sigv4.URIEncode(v, false))
		}
	}
	return strings.Join(parts, "&")
}

// parseError reads an S3 XML error body; without one (a HEAD), the code
// is the one the error-code header names, else the status text.
func parseError(status int, code string, body []byte) error {
	var e struct {
		Code    string `xml:"Code"`
		Message string `xml:"Message"`
	}
	if err := xml.Unmarshal(body, &e); err != nil || e.Code == "" {
		e.Code = code
	}
	if e.Code == "" {
		e.Code = http.StatusText(status)
	}
	return &Error{Status: status, Code: e.Code, Message: e.Message}
}
