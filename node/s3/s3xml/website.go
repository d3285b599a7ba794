package s3xml

import (
	"encoding/xml"
	"io"
	"strings"

	"github.com/gogarage/garage/node/s3/s3err"
)

// MaxRoutingRules bounds the routing rules of a website configuration.
const MaxRoutingRules = 50

// IndexDocument names the object served for a directory.
type IndexDocument struct {
	Suffix string `xml:"Suffix"`
}

// ErrorDocument names the object served on error.
type ErrorDocument struct {
	Key string `xml:"Key"`
}

// RedirectAllRequestsTo sends every request of the website elsewhere.
type RedirectAllRequestsTo struct {
	HostName string `xml:"HostName"`
	Protocol string `xml:"Protocol,omitempty"`
}

// Condition is when a routing rule applies.
type Condition struct {
	KeyPrefixEquals             string `xml:"KeyPrefixEquals,omitempty"`
	HTTPErrorCodeReturnedEquals string `xml:"HttpErrorCodeReturnedEquals,omitempty"`
}

// Redirect is where a routing rule sends a request.
type Redirect struct {
	HostName             string `xml:"HostName,omitempty"`
	HTTPRedirectCode     string `xml:"HttpRedirectCode,omitempty"`
	Protocol             string `xml:"Protocol,omitempty"`
	ReplaceKeyPrefixWith string `xml:"ReplaceKeyPrefixWith,omitempty"`
	ReplaceKeyWith       string `xml:"ReplaceKeyWith,omitempty"`
}

// RoutingRule is one redirection rule of a website.
type RoutingRule struct {
	Condition *Condition `xml:"Condition,omitempty"`
	Redirect  Redirect   `xml:"Redirect"`
}

// WebsiteConfiguration is the body of PutBucketWebsite and
// GetBucketWebsite.
type WebsiteConfiguration struct {
	XMLName               xml.Name               `xml:"WebsiteConfiguration"`
	ErrorDocument         *ErrorDocument         `xml:"ErrorDocument,omitempty"`
	IndexDocument         *IndexDocument         `xml:"IndexDocument,omitempty"`
	RedirectAllRequestsTo *RedirectAllRequestsTo `xml:"RedirectAllRequestsTo,omitempty"`
	RoutingRules          []RoutingRule          `xml:"RoutingRules>RoutingRule,omitempty"`
}

// MarshalXML encodes the configuration in the S3 namespace.
func (w WebsiteConfiguration) MarshalXML(e *xml.Encoder, _ xml.StartElement) error {
	type plain WebsiteConfiguration
	return encodeNS(e, "WebsiteConfiguration", plain(w))
}

// ParseWebsiteConfiguration parses the body of PutBucketWebsite: either
// RedirectAllRequestsTo alone, or an IndexDocument (a non-empty suffix
// without '/') with optional ErrorDocument and routing rules. Errors are
// MalformedXML, InvalidArgument.
func ParseWebsiteConfiguration(r io.Reader) (WebsiteConfiguration, error) {
	var w WebsiteConfiguration
	if err := decode(r, "WebsiteConfiguration", &w); err != nil {
		return WebsiteConfiguration{}, err
	}
	if err := w.validate(); err != nil {
		return WebsiteConfiguration{}, err
	}
	return w, nil
}

// validate checks the rules of a website configuration.
func (w WebsiteConfiguration) validate() error {
	if w.RedirectAllRequestsTo != nil {
		if w.IndexDocument != nil || w.ErrorDocument != nil || len(w.RoutingRules) > 0 {
			return invalidArg("RedirectAllRequestsTo cannot be combined with other website elements")
		}
		if w.RedirectAllRequestsTo.HostName == "" {
			return invalidArg("RedirectAllRequestsTo needs a HostName")
		}
		return checkProtocol(w.RedirectAllRequestsTo.Protocol)
	}
	if w.IndexDocument == nil || w.IndexDocument.Suffix == "" || strings.Contains(w.IndexDocument.Suffix, "/") {
		return invalidArg("The IndexDocument Suffix must be non-empty and must not contain a slash")
	}
	if w.ErrorDocument != nil && w.ErrorDocument.Key == "" {
		return invalidArg("The ErrorDocument Key must not be empty")
	}
	if len(w.RoutingRules) > MaxRoutingRules {
		return invalidArg("A website configuration holds at most 50 routing rules")
	}
	for _, rr := range w.RoutingRules {
		if err := rr.validate(); err != nil {
			return err
		}
	}
	return nil
}

// validate checks one routing rule.
func (rr RoutingRule) validate() error {
	r := rr.Redirect
	if r.ReplaceKeyPrefixWith != "" && r.ReplaceKeyWith != "" {
		return invalidArg("ReplaceKeyPrefixWith and ReplaceKeyWith cannot both be set")
	}
	if r == (Redirect{}) {
		return invalidArg("A routing rule's Redirect must set at least one element")
	}
	if c := r.HTTPRedirectCode; c != "" && !httpCodeIn(c, '3') {
		return invalidArg("The HttpRedirectCode " + c + " is not a redirection code")
	}
	if c := rr.Condition; c != nil && c.HTTPErrorCodeReturnedEquals != "" && !httpCodeIn(c.HTTPErrorCodeReturnedEquals, '4', '5') {
		return invalidArg("The HttpErrorCodeReturnedEquals " + c.HTTPErrorCodeReturnedEquals + " is not an error code")
	}
	return checkProtocol(r.Protocol)
}

// checkProtocol accepts "", http and https.
func checkProtocol(p string) error {
	if p != "" && p != "http" && p != "https" {
		return invalidArg("Protocol must be http or https, not " + p)
	}
	return nil
}

// httpCodeIn reports whether c is a three-digit code whose first digit is
// one of classes.
func httpCodeIn(c string, classes ...byte) bool {
	if len(c) != 3 || strings.Trim(c, "0123456789") != "" {
		return false
	}
	return strings.IndexByte(string(classes), c[0]) >= 0
}

// invalidArg returns an InvalidArgument error with msg.
func invalidArg(msg string) error { return s3err.New(s3err.InvalidArgument, "%s", msg) }
