package s3xml

import (
	"encoding/xml"
	"io"
	"slices"
	"strings"

	"github.com/gogarage/garage/node/s3/s3err"
)

// MaxCORSRules bounds the rules of a CORS configuration.
const MaxCORSRules = 100

// CORSRule is one rule of a bucket's CORS configuration.
type CORSRule struct {
	ID             string   `xml:"ID,omitempty"`
	AllowedMethods []string `xml:"AllowedMethod"`
	AllowedOrigins []string `xml:"AllowedOrigin"`
	AllowedHeaders []string `xml:"AllowedHeader,omitempty"`
	ExposeHeaders  []string `xml:"ExposeHeader,omitempty"`
	MaxAgeSeconds  *int     `xml:"MaxAgeSeconds,omitempty"`
}

// CORSConfiguration is the body of PutBucketCors and GetBucketCors.
type CORSConfiguration struct {
	XMLName xml.Name   `xml:"CORSConfiguration"`
	Rules   []CORSRule `xml:"CORSRule"`
}

// MarshalXML encodes the configuration in the S3 namespace.
func (c CORSConfiguration) MarshalXML(e *xml.Encoder, _ xml.StartElement) error {
	type plain CORSConfiguration
	return encodeNS(e, "CORSConfiguration", plain(c))
}

// ParseCORSConfiguration parses the body of PutBucketCors: 1 to 100
// rules, each with at least one method among GET, PUT, POST, DELETE and
// HEAD and at least one origin; origins and allowed headers hold at most
// one '*'. Errors are MalformedXML, InvalidRequest.
func ParseCORSConfiguration(r io.Reader) (CORSConfiguration, error) {
	var c CORSConfiguration
	if err := decode(r, "CORSConfiguration", &c); err != nil {
		return CORSConfiguration{}, err
	}
	if len(c.Rules) == 0 || len(c.Rules) > MaxCORSRules {
		return CORSConfiguration{}, malformedf("a CORS configuration holds 1 to %d rules, not %d", MaxCORSRules, len(c.Rules))
	}
	for i, rule := range c.Rules {
		if err := rule.validate(); err != nil {
			return CORSConfiguration{}, s3err.New(s3err.InvalidRequest, "CORS rule %d: %s", i+1, err.Message)
		}
	}
	return c, nil
}

// validate checks one CORS rule.
func (r CORSRule) validate() *s3err.Error {
	if len(r.AllowedMethods) == 0 || len(r.AllowedOrigins) == 0 {
		return s3err.New(s3err.InvalidRequest, "a rule needs at least one AllowedMethod and one AllowedOrigin")
	}
	for _, m := range r.AllowedMethods {
		if !slices.Contains([]string{"GET", "PUT", "POST", "DELETE", "HEAD"}, m) {
			return s3err.New(s3err.InvalidRequest, "Found unsupported HTTP method in CORS config. Unsupported method is %s", m)
		}
	}
	for _, list := range [][]string{r.AllowedOrigins, r.AllowedHeaders} {
		for _, v := range list {
			if strings.Count(v, "*") > 1 {
				return s3err.New(s3err.InvalidRequest, "%q can not have more than one wildcard.", v)
			}
		}
	}
	if r.MaxAgeSeconds != nil && *r.MaxAgeSeconds < 0 {
		return s3err.New(s3err.InvalidRequest, "MaxAgeSeconds must not be negative")
	}
	return nil
}
