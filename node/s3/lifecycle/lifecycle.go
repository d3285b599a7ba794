package lifecycle

import (
	"strings"
	"time"

	"github.com/gogarage/garage/node/s3/s3xml"
)

// day is the length of a lifecycle day.
const day = 24 * time.Hour

// Object is what expiration rules look at.
type Object struct {
	Key     string
	Size    int64
	Created time.Time
}

// Expires reports whether rule, if enabled and matching obj, expires it
// at time now.
func Expires(rule s3xml.LifecycleRule, obj Object, now time.Time) bool {
	if rule.Status != s3xml.StatusEnabled || rule.Expiration == nil || !matches(rule, obj.Key, &obj.Size) {
		return false
	}
	e := rule.Expiration
	if e.Days != nil {
		return !now.Before(dueAfter(obj.Created, *e.Days))
	}
	if e.Date != nil {
		date, err := e.DateTime()
		return err == nil && !now.Before(date)
	}
	return false
}

// AbortsUpload reports whether rule, if enabled and matching key, aborts
// an upload of key initiated at initiated, at time now. Size conditions
// of the filter do not apply to uploads, whose size is not known yet.
func AbortsUpload(rule s3xml.LifecycleRule, key string, initiated, now time.Time) bool {
	a := rule.AbortIncompleteMultipartUpload
	if rule.Status != s3xml.StatusEnabled || a == nil || !matches(rule, key, nil) {
		return false
	}
	return !now.Before(dueAfter(initiated, a.DaysAfterInitiation))
}

// ExpiringRule returns the first rule of c expiring obj at now, or nil.
func ExpiringRule(c s3xml.LifecycleConfiguration, obj Object, now time.Time) *s3xml.LifecycleRule {
	for i := range c.Rules {
		if Expires(c.Rules[i], obj, now) {
			return &c.Rules[i]
		}
	}
	return nil
}

// AbortingRule returns the first rule of c aborting an upload of key
// initiated at initiated, at now, or nil.
func AbortingRule(c s3xml.LifecycleConfiguration, key string, initiated, now time.Time) *s3xml.LifecycleRule {
	for i := range c.Rules {
		if AbortsUpload(c.Rules[i], key, initiated, now) {
			return &c.Rules[i]
		}
	}
	return nil
}

// dueAfter returns when an action days after t falls due: t plus the
// days, rounded up to midnight UTC.
func dueAfter(t time.Time, days int) time.Time {
	due := t.UTC().Add(time.Duration(days) * day)
	if mid := due.Truncate(day); !mid.Equal(due) {
		return mid.Add(day)
	}
	return due
}

// matches reports whether rule's filter selects key and, when size is
// not nil, an object of that size.
func matches(rule s3xml.LifecycleRule, key string, size *int64) bool {
	prefix, gt, lt := conditions(rule)
	if prefix != nil && !strings.HasPrefix(key, *prefix) {
		return false
	}
	if size == nil {
		return true
	}
	return (gt == nil || *size > *gt) && (lt == nil || *size < *lt)
}

// conditions returns the prefix and size bounds of a rule, wherever they
// are written (the legacy Prefix, the Filter or its And).
func conditions(rule s3xml.LifecycleRule) (prefix *string, gt, lt *int64) {
	f := rule.Filter
	switch {
	case f == nil:
		return rule.Prefix, nil, nil
	case f.And != nil:
		return f.And.Prefix, f.And.ObjectSizeGreaterThan, f.And.ObjectSizeLessThan
	}
	return f.Prefix, f.ObjectSizeGreaterThan, f.ObjectSizeLessThan
}
