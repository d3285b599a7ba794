package lifecycle

import (
	"strings"
	"testing"
	"time"

	"github.com/gogarage/garage/node/s3/s3xml"
)

// config parses a lifecycle configuration of the given rules.
func config(t *testing.T, rules ...string) s3xml.LifecycleConfiguration {
	t.Helper()
	c, err := s3xml.ParseLifecycleConfiguration(strings.NewReader("<LifecycleConfiguration>" + strings.Join(rules, "") + "</LifecycleConfiguration>"))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// at returns a UTC time.
func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestExpires(t *testing.T) {
	c := config(t,
		`<Rule><ID>logs</ID><Status>Enabled</Status><Filter><Prefix>logs/</Prefix></Filter><Expiration><Days>3</Days></Expiration></Rule>`,
		`<Rule><ID>big</ID><Status>Enabled</Status><Filter><And><Prefix>tmp/</Prefix><ObjectSizeGreaterThan>100</ObjectSizeGreaterThan><ObjectSizeLessThan>1000</ObjectSizeLessThan></And></Filter><Expiration><Date>2025-01-01</Date></Expiration></Rule>`,
		`<Rule><ID>off</ID><Status>Disabled</Status><Expiration><Days>1</Days></Expiration></Rule>`,
		`<Rule><ID>legacy</ID><Prefix>old/</Prefix><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>`,
	)
	created := at("2024-01-15T10:30:00Z")
	tests := []struct {
		name string
		obj  Object
		now  time.Time
		want string // ID of the expiring rule, "" for none
	}{
		// S3's example: created 10:30 on the 15th + 3 days -> due at midnight starting the 19th.
		{"before due", Object{"logs/a", 1, created}, at("2024-01-18T23:59:59Z"), ""},
		{"due", Object{"logs/a", 1, created}, at("2024-01-19T00:00:00Z"), "logs"},
		{"other prefix", Object{"data/a", 1, created}, at("2030-01-01T00:00:00Z"), ""},
		{"date reached, size inside", Object{"tmp/x", 500, created}, at("2025-01-01T00:00:00Z"), "big"},
		{"date not reached", Object{"tmp/x", 500, created}, at("2024-12-31T23:59:59Z"), ""},
		{"size at lower bound", Object{"tmp/x", 100, created}, at("2025-06-01T00:00:00Z"), ""},
		{"size at upper bound", Object{"tmp/x", 1000, created}, at("2025-06-01T00:00:00Z"), ""},
		{"disabled rule", Object{"x", 1, created}, at("2030-01-01T00:00:00Z"), ""},
		{"legacy prefix", Object{"old/x", 1, created}, at("2024-01-17T00:00:00Z"), "legacy"},
		{"legacy prefix early", Object{"old/x", 1, created}, at("2024-01-16T23:00:00Z"), ""},
	}
	for _, tt := range tests {
		got := ExpiringRule(c, tt.obj, tt.now)
		if id := ruleID(got); id != tt.want {
			t.Errorf("%s: rule %q, want %q", tt.name, id, tt.want)
		}
	}
}

// ruleID returns the ID of r, or "" for nil.
func ruleID(r *s3xml.LifecycleRule) string {
	if r == nil {
		return ""
	}
	return r.ID
}

func TestAbortsUpload(t *testing.T) {
	c := config(t,
		`<Rule><ID>abort</ID><Status>Enabled</Status><Filter><And><Prefix>up/</Prefix><ObjectSizeLessThan>10</ObjectSizeLessThan></And></Filter><AbortIncompleteMultipartUpload><DaysAfterInitiation>7</DaysAfterInitiation></AbortIncompleteMultipartUpload></Rule>`,
		`<Rule><ID>expire-only</ID><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>`,
	)
	init := at("2024-03-01T00:00:00Z")
	tests := []struct {
		key  string
		now  time.Time
		want string
	}{
		{"up/a", at("2024-03-07T23:59:59Z"), ""},
		{"up/a", at("2024-03-08T00:00:00Z"), "abort"},
		{"down/a", at("2025-01-01T00:00:00Z"), ""},
	}
	for _, tt := range tests {
		if got := ruleID(AbortingRule(c, tt.key, init, tt.now)); got != tt.want {
			t.Errorf("AbortingRule(%s, %v) = %q, want %q", tt.key, tt.now, got, tt.want)
		}
	}
}

func TestDueAfter(t *testing.T) {
	tests := []struct {
		t    string
		days int
		want string
	}{
		{"2024-01-15T10:30:00Z", 3, "2024-01-19T00:00:00Z"},
		{"2024-01-15T00:00:00Z", 3, "2024-01-18T00:00:00Z"},
		{"2024-02-28T23:59:59Z", 1, "2024-03-01T00:00:00Z"},
	}
	for _, tt := range tests {
		if got := dueAfter(at(tt.t), tt.days); !got.Equal(at(tt.want)) {
			t.Errorf("dueAfter(%s, %d) = %v, want %s", tt.t, tt.days, got, tt.want)
		}
	}
	plus2 := time.FixedZone("+2", 7200)
	if got := dueAfter(time.Date(2024, 1, 15, 1, 0, 0, 0, plus2), 1); !got.Equal(at("2024-01-16T00:00:00Z")) {
		t.Errorf("dueAfter in another zone = %v", got)
	}
}
