package cors

import (
	"reflect"
	"strings"
	"testing"

	"github.com/gogarage/garage/node/s3/s3err"
	"github.com/gogarage/garage/node/s3/s3xml"
)

// testRules parses a CORS configuration with three rules.
func testRules(t *testing.T) []s3xml.CORSRule {
	t.Helper()
	c, err := s3xml.ParseCORSConfiguration(strings.NewReader(`<CORSConfiguration>
	<CORSRule><AllowedOrigin>https://*.example.com</AllowedOrigin><AllowedMethod>PUT</AllowedMethod><AllowedMethod>POST</AllowedMethod>
	  <AllowedHeader>x-amz-*</AllowedHeader><AllowedHeader>Content-Type</AllowedHeader><ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>600</MaxAgeSeconds></CORSRule>
	<CORSRule><AllowedOrigin>https://app.test</AllowedOrigin><AllowedMethod>GET</AllowedMethod><AllowedHeader>*</AllowedHeader></CORSRule>
	<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><AllowedMethod>HEAD</AllowedMethod></CORSRule>
	</CORSConfiguration>`))
	if err != nil {
		t.Fatal(err)
	}
	return c.Rules
}

func TestMatch(t *testing.T) {
	rules := testRules(t)
	tests := []struct {
		name string
		r    Request
		want int // index of the matching rule, -1 for none
	}{
		{"wildcard subdomain", Request{"https://www.example.com", "PUT", []string{"x-amz-date", "content-type"}}, 0},
		{"header case", Request{"https://a.example.com", "POST", []string{"X-Amz-Meta-Foo"}}, 0},
		{"header not allowed", Request{"https://a.example.com", "PUT", []string{"authorization"}}, -1},
		{"bare domain", Request{"https://example.com", "PUT", nil}, -1},
		{"http scheme", Request{"http://www.example.com", "PUT", nil}, -1},
		{"exact origin any header", Request{"https://app.test", "GET", []string{"authorization", "range"}}, 1},
		{"any origin get", Request{"https://evil.test", "GET", nil}, 2},
		{"any origin headers refused", Request{"https://evil.test", "GET", []string{"range"}}, -1},
		{"method refused", Request{"https://evil.test", "DELETE", nil}, -1},
	}
	for _, tt := range tests {
		got := Match(rules, tt.r)
		want := (*s3xml.CORSRule)(nil)
		if tt.want >= 0 {
			want = &rules[tt.want]
		}
		if got != want {
			t.Errorf("%s: matched %v, want rule %d", tt.name, got, tt.want)
		}
	}
}

func TestPreflight(t *testing.T) {
	rules := testRules(t)
	got, err := Preflight(rules, Request{"https://www.example.com", "PUT", ParseRequestHeaders("X-Amz-Date, content-type")})
	want := []Header{
		{"Access-Control-Allow-Origin", "https://www.example.com"},
		{"Access-Control-Allow-Credentials", "true"},
		{"Access-Control-Allow-Methods", "PUT, POST"},
		{"Access-Control-Expose-Headers", "ETag"},
		{"Access-Control-Max-Age", "600"},
		{"Access-Control-Allow-Headers", "x-amz-date, content-type"},
		{"Vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method"},
	}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("Preflight =\n%v, %v\nwant\n%v", got, err, want)
	}
	for _, r := range []Request{{"", "GET", nil}, {"https://x", "", nil}, {"https://x", "DELETE", nil}} {
		if _, err := Preflight(rules, r); !s3err.Is(err, s3err.AccessDenied) {
			t.Errorf("Preflight(%+v) = %v, want AccessDenied", r, err)
		}
	}
	if _, err := Preflight(nil, Request{"https://x", "GET", nil}); !s3err.Is(err, s3err.AccessDenied) {
		t.Errorf("Preflight without rules = %v", err)
	}
}

func TestActual(t *testing.T) {
	rules := testRules(t)
	got := Actual(rules, Request{Origin: "https://any.test", Method: "GET"})
	if len(got) == 0 || got[0] != (Header{"Access-Control-Allow-Origin", "*"}) {
		t.Errorf("Actual = %v", got)
	}
	if got := Actual(rules, Request{Origin: "https://any.test", Method: "DELETE"}); got != nil {
		t.Errorf("Actual for a refused method = %v", got)
	}
	if got := Actual(rules, Request{Method: "GET"}); got != nil {
		t.Errorf("Actual without Origin = %v", got)
	}
}

func TestWildcardMatch(t *testing.T) {
	tests := []struct {
		p, s string
		want bool
	}{
		{"*", "", true}, {"*", "x", true}, {"a*", "a", true}, {"a*b", "ab", true}, {"a*b", "axxb", true},
		{"a*b", "a", false}, {"ab*ba", "aba", false}, {"abc", "abc", true}, {"abc", "abd", false},
	}
	for _, tt := range tests {
		if got := wildcardMatch(tt.p, tt.s); got != tt.want {
			t.Errorf("wildcardMatch(%q, %q) = %v", tt.p, tt.s, got)
		}
	}
}
