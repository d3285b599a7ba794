package s3xml

import (
	"encoding/xml"
	"io"
	"time"

	"github.com/gogarage/garage/node/s3/s3err"
)

// MaxLifecycleRules bounds the rules of a lifecycle configuration.
const MaxLifecycleRules = 1000

// Lifecycle rule statuses.
const (
	StatusEnabled  = "Enabled"
	StatusDisabled = "Disabled"
)

// Expiration says when objects matching a rule expire: Days after their
// creation, or on Date (midnight UTC).
type Expiration struct {
	Days                      *int    `xml:"Days,omitempty"`
	Date                      *string `xml:"Date,omitempty"`
	ExpiredObjectDeleteMarker *bool   `xml:"ExpiredObjectDeleteMarker,omitempty"`
}

// AbortIncompleteMultipartUpload says when unfinished uploads are
// aborted.
type AbortIncompleteMultipartUpload struct {
	DaysAfterInitiation int `xml:"DaysAfterInitiation"`
}

// Tag is an object tag condition; Garage has no object tags.
type Tag struct {
	Key   string `xml:"Key"`
	Value string `xml:"Value"`
}

// And combines filter conditions.
type And struct {
	Prefix                *string `xml:"Prefix,omitempty"`
	ObjectSizeGreaterThan *int64  `xml:"ObjectSizeGreaterThan,omitempty"`
	ObjectSizeLessThan    *int64  `xml:"ObjectSizeLessThan,omitempty"`
	Tags                  []Tag   `xml:"Tag,omitempty"`
}

// Filter selects the objects a rule applies to; at most one element is
// set.
type Filter struct {
	Prefix                *string `xml:"Prefix,omitempty"`
	ObjectSizeGreaterThan *int64  `xml:"ObjectSizeGreaterThan,omitempty"`
	ObjectSizeLessThan    *int64  `xml:"ObjectSizeLessThan,omitempty"`
	And                   *And    `xml:"And,omitempty"`
	Tag                   *Tag    `xml:"Tag,omitempty"`
}

// unsupported catches lifecycle elements Garage does not implement.
type unsupported struct {
	XMLName xml.Name
}

// LifecycleRule is one rule of a lifecycle configuration.
type LifecycleRule struct {
	ID                             string                          `xml:"ID,omitempty"`
	Status                         string                          `xml:"Status"`
	Filter                         *Filter                         `xml:"Filter,omitempty"`
	Prefix                         *string                         `xml:"Prefix,omitempty"`
	Expiration                     *Expiration                     `xml:"Expiration,omitempty"`
	AbortIncompleteMultipartUpload *AbortIncompleteMultipartUpload `xml:"AbortIncompleteMultipartUpload,omitempty"`
	Transitions                    []unsupported                   `xml:"Transition"`
	NoncurrentTransitions          []unsupported                   `xml:"NoncurrentVersionTransition"`
	NoncurrentExpiration           *unsupported                    `xml:"NoncurrentVersionExpiration"`
}

// LifecycleConfiguration is the body of PutBucketLifecycleConfiguration
// and GetBucketLifecycleConfiguration.
type LifecycleConfiguration struct {
	XMLName xml.Name        `xml:"LifecycleConfiguration"`
	Rules   []LifecycleRule `xml:"Rule"`
}

// MarshalXML encodes the configuration in the S3 namespace.
func (l LifecycleConfiguration) MarshalXML(e *xml.Encoder, _ xml.StartElement) error {
	type plain LifecycleConfiguration
	return encodeNS(e, "LifecycleConfiguration", plain(l))
}

// ParseLifecycleConfiguration parses the body of
// PutBucketLifecycleConfiguration: 1 to 1000 rules with distinct IDs of
// at most 255 characters, an Enabled or Disabled status, at least one
// action, Expiration by positive Days or by a midnight-UTC Date,
// AbortIncompleteMultipartUpload after positive days, and a filter of at
// most one condition. Tags, transitions and noncurrent-version actions
// are NotImplemented; other violations are MalformedXML or
// InvalidArgument.
func ParseLifecycleConfiguration(r io.Reader) (LifecycleConfiguration, error) {
	var l LifecycleConfiguration
	if err := decode(r, "LifecycleConfiguration", &l); err != nil {
		return LifecycleConfiguration{}, err
	}
	if len(l.Rules) == 0 || len(l.Rules) > MaxLifecycleRules {
		return LifecycleConfiguration{}, malformedf("a lifecycle configuration holds 1 to %d rules, not %d", MaxLifecycleRules, len(l.Rules))
	}
	ids := map[string]bool{}
	for _, rule := range l.Rules {
		if rule.ID != "" && ids[rule.ID] {
			return LifecycleConfiguration{}, invalidArg("Rule ID must be unique. Found same ID for more than one rule: " + rule.ID)
		}
		ids[rule.ID] = true
		if err := rule.validate(); err != nil {
			return LifecycleConfiguration{}, err
		}
	}
	return l, nil
}

// validate checks one lifecycle rule.
func (r LifecycleRule) validate() error {
	switch {
	case len(r.ID) > 255:
		return invalidArg("ID length should not exceed allowed limit of 255")
	case r.Status != StatusEnabled && r.Status != StatusDisabled:
		return malformedf("a rule's Status is Enabled or Disabled, not %q", r.Status)
	case len(r.Transitions) > 0 || len(r.NoncurrentTransitions) > 0 || r.NoncurrentExpiration != nil:
		return s3err.New(s3err.NotImplemented, "Lifecycle transitions and noncurrent-version actions are not implemented.")
	case r.Expiration == nil && r.AbortIncompleteMultipartUpload == nil:
		return invalidArg("At least one action needs to be specified in a rule")
	case r.Filter != nil && r.Prefix != nil:
		return malformedf("a rule cannot have both Prefix and Filter")
	}
	if err := r.Expiration.validate(); err != nil {
		return err
	}
	if a := r.AbortIncompleteMultipartUpload; a != nil && a.DaysAfterInitiation <= 0 {
		return invalidArg("'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer")
	}
	return r.Filter.validate()
}

// validate checks an expiration (nil is valid).
func (e *Expiration) validate() error {
	if e == nil {
		return nil
	}
	if e.ExpiredObjectDeleteMarker != nil {
		return s3err.New(s3err.NotImplemented, "ExpiredObjectDeleteMarker is not implemented.")
	}
	if (e.Days == nil) == (e.Date == nil) {
		return malformedf("an Expiration has either Days or Date")
	}
	if e.Days != nil && *e.Days <= 0 {
		return invalidArg("'Days' for Expiration action must be a positive integer")
	}
	if e.Date != nil {
		if _, err := e.DateTime(); err != nil {
			return err
		}
	}
	return nil
}

// DateTime returns the expiration date, which must be an ISO 8601 date
// at midnight UTC ("2025-01-01" or "2025-01-01T00:00:00Z").
func (e *Expiration) DateTime() (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, time.DateOnly} {
		t, err := time.Parse(layout, *e.Date)
		if err != nil {
			continue
		}
		if !t.Equal(t.UTC().Truncate(24 * time.Hour)) {
			return time.Time{}, invalidArg("'Date' must be at midnight GMT")
		}
		return t.UTC(), nil
	}
	return time.Time{}, invalidArg("'Date' must be an ISO 8601 date, not " + *e.Date)
}

// validate checks a filter (nil is valid): at most one condition, sizes
// not negative, no tags.
func (f *Filter) validate() error {
	if f == nil {
		return nil
	}
	n := countSet(f.Prefix != nil, f.ObjectSizeGreaterThan != nil, f.ObjectSizeLessThan != nil, f.And != nil, f.Tag != nil)
	switch {
	case n > 1:
		return malformedf("a Filter holds at most one condition; combine them with And")
	case f.Tag != nil || f.And != nil && len(f.And.Tags) > 0:
		return s3err.New(s3err.NotImplemented, "Lifecycle filters on object tags are not implemented.")
	case f.And != nil && countSet(f.And.Prefix != nil, f.And.ObjectSizeGreaterThan != nil, f.And.ObjectSizeLessThan != nil) == 0:
		return malformedf("an And filter needs at least one condition")
	}
	return checkSizes(f.ObjectSizeGreaterThan, f.ObjectSizeLessThan, f.And)
}

// checkSizes checks the size bounds of a filter.
func checkSizes(gt, lt *int64, and *And) error {
	if and != nil {
		gt, lt = and.ObjectSizeGreaterThan, and.ObjectSizeLessThan
	}
	if gt != nil && *gt < 0 || lt != nil && *lt <= 0 {
		return invalidArg("Object size bounds must be positive")
	}
	if gt != nil && lt != nil && *gt >= *lt {
		return invalidArg("ObjectSizeGreaterThan must be less than ObjectSizeLessThan")
	}
	return nil
}

// countSet counts the true values.
func countSet(bs ...bool) int {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}
