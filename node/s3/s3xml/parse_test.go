package s3xml

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gogarage/garage/node/s3/s3err"
)

// parseCase is one request body and the error code it should give ("" for
// success).
type parseCase struct {
	name, body string
	want       s3err.Code
}

// runParse runs parse over the cases, and checks that accepted bodies
// survive a marshal/parse round trip unchanged.
func runParse[T any](t *testing.T, parse func(*strings.Reader) (T, error), cases []parseCase) {
	t.Helper()
	for _, tt := range cases {
		got, err := parse(strings.NewReader(tt.body))
		if tt.want != "" {
			if !s3err.Is(err, tt.want) {
				t.Errorf("%s: err %v, want %s", tt.name, err, tt.want)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		first := Marshal(got)
		again, err := parse(strings.NewReader(string(first)))
		if err != nil || !bytes.Equal(Marshal(again), first) {
			t.Errorf("%s: round trip changed\n%s\ninto\n%s (%v)", tt.name, first, Marshal(again), err)
		}
	}
}

func TestParseDelete(t *testing.T) {
	many := "<Delete>" + strings.Repeat("<Object><Key>k</Key></Object>", 1001) + "</Delete>"
	runParse(t, func(r *strings.Reader) (Delete, error) { return ParseDelete(r) }, []parseCase{
		{"one", `<Delete><Object><Key>a</Key></Object></Delete>`, ""},
		{"namespaced quiet", `<?xml version="1.0"?><Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Quiet>true</Quiet><Object><Key>a b</Key><VersionId>v</VersionId></Object><Object><Key>&lt;</Key></Object></Delete>` + "\n", ""},
		{"thousand", "<Delete>" + strings.Repeat("<Object><Key>k</Key></Object>", 1000) + "</Delete>", ""},
		{"too many", many, s3err.MalformedXML},
		{"none", `<Delete></Delete>`, s3err.MalformedXML},
		{"empty key", `<Delete><Object><Key></Key></Object></Delete>`, s3err.MalformedXML},
		{"empty body", ``, s3err.MalformedXML},
		{"garbage", `hello`, s3err.MalformedXML},
		{"unclosed", `<Delete><Object><Key>a</Key></Object>`, s3err.MalformedXML},
		{"wrong root", `<Remove><Object><Key>a</Key></Object></Remove>`, s3err.MalformedXML},
		{"wrong namespace", `<Delete xmlns="urn:other"><Object><Key>a</Key></Object></Delete>`, s3err.MalformedXML},
		{"trailing element", `<Delete><Object><Key>a</Key></Object></Delete><Delete/>`, s3err.MalformedXML},
		{"trailing text", `<Delete><Object><Key>a</Key></Object></Delete>junk`, s3err.MalformedXML},
		{"bad quiet", `<Delete><Quiet>maybe</Quiet><Object><Key>a</Key></Object></Delete>`, s3err.MalformedXML},
		{"too big", "<Delete>" + strings.Repeat(" ", MaxBody) + "</Delete>", s3err.MaxMessageLengthExceeded},
	})
}

func TestParseCompleteMultipartUpload(t *testing.T) {
	part := func(n int) string {
		return fmt.Sprintf(`<Part><PartNumber>%d</PartNumber><ETag>"e%d"</ETag></Part>`, n, n)
	}
	runParse(t, func(r *strings.Reader) (CompleteMultipartUpload, error) { return ParseCompleteMultipartUpload(r) }, []parseCase{
		{"two", "<CompleteMultipartUpload>" + part(1) + part(3) + "</CompleteMultipartUpload>", ""},
		{"checksum", `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>e</ETag><ChecksumCRC32>AAAAAA==</ChecksumCRC32></Part></CompleteMultipartUpload>`, ""},
		{"max part", "<CompleteMultipartUpload>" + part(10000) + "</CompleteMultipartUpload>", ""},
		{"out of order", "<CompleteMultipartUpload>" + part(2) + part(1) + "</CompleteMultipartUpload>", s3err.InvalidPartOrder},
		{"repeated", "<CompleteMultipartUpload>" + part(2) + part(2) + "</CompleteMultipartUpload>", s3err.InvalidPartOrder},
		{"zero", "<CompleteMultipartUpload>" + part(0) + "</CompleteMultipartUpload>", s3err.InvalidArgument},
		{"too high", "<CompleteMultipartUpload>" + part(10001) + "</CompleteMultipartUpload>", s3err.InvalidArgument},
		{"no etag", "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>", s3err.MalformedXML},
		{"no parts", "<CompleteMultipartUpload></CompleteMultipartUpload>", s3err.MalformedXML},
		{"bad number", "<CompleteMultipartUpload><Part><PartNumber>one</PartNumber><ETag>e</ETag></Part></CompleteMultipartUpload>", s3err.MalformedXML},
	})
}

func TestParseCreateBucketConfiguration(t *testing.T) {
	runParse(t, func(r *strings.Reader) (CreateBucketConfiguration, error) { return ParseCreateBucketConfiguration(r) }, []parseCase{
		{"region", `<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LocationConstraint>garage</LocationConstraint></CreateBucketConfiguration>`, ""},
		{"empty", `<CreateBucketConfiguration/>`, ""},
		{"wrong root", `<LocationConstraint>garage</LocationConstraint>`, s3err.MalformedXML},
	})
}

func TestParseVersioning(t *testing.T) {
	runParse(t, func(r *strings.Reader) (VersioningConfiguration, error) { return ParseVersioningConfiguration(r) }, []parseCase{
		{"enabled", `<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>`, ""},
		{"suspended", `<VersioningConfiguration><Status>Suspended</Status><MfaDelete>Disabled</MfaDelete></VersioningConfiguration>`, ""},
		{"bad status", `<VersioningConfiguration><Status>On</Status></VersioningConfiguration>`, s3err.IllegalVersioningConfiguration},
		{"bad mfa", `<VersioningConfiguration><Status>Enabled</Status><MfaDelete>x</MfaDelete></VersioningConfiguration>`, s3err.IllegalVersioningConfiguration},
	})
}

func TestParseCORS(t *testing.T) {
	rule := func(inner string) string {
		return "<CORSConfiguration><CORSRule>" + inner + "</CORSRule></CORSConfiguration>"
	}
	runParse(t, func(r *strings.Reader) (CORSConfiguration, error) { return ParseCORSConfiguration(r) }, []parseCase{
		{"full", rule(`<ID>r1</ID><AllowedOrigin>https://*.example.com</AllowedOrigin><AllowedMethod>GET</AllowedMethod><AllowedMethod>PUT</AllowedMethod>` +
			`<AllowedHeader>*</AllowedHeader><ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>3000</MaxAgeSeconds>`), ""},
		{"minimal", rule(`<AllowedOrigin>*</AllowedOrigin><AllowedMethod>HEAD</AllowedMethod>`), ""},
		{"no method", rule(`<AllowedOrigin>*</AllowedOrigin>`), s3err.InvalidRequest},
		{"no origin", rule(`<AllowedMethod>GET</AllowedMethod>`), s3err.InvalidRequest},
		{"bad method", rule(`<AllowedOrigin>*</AllowedOrigin><AllowedMethod>PATCH</AllowedMethod>`), s3err.InvalidRequest},
		{"two wildcards", rule(`<AllowedOrigin>*.*</AllowedOrigin><AllowedMethod>GET</AllowedMethod>`), s3err.InvalidRequest},
		{"negative age", rule(`<AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><MaxAgeSeconds>-1</MaxAgeSeconds>`), s3err.InvalidRequest},
		{"no rules", `<CORSConfiguration></CORSConfiguration>`, s3err.MalformedXML},
		{"too many", "<CORSConfiguration>" + strings.Repeat("<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule>", 101) + "</CORSConfiguration>", s3err.MalformedXML},
	})
}

func TestParseWebsite(t *testing.T) {
	w := func(inner string) string { return "<WebsiteConfiguration>" + inner + "</WebsiteConfiguration>" }
	runParse(t, func(r *strings.Reader) (WebsiteConfiguration, error) { return ParseWebsiteConfiguration(r) }, []parseCase{
		{"index", w(`<IndexDocument><Suffix>index.html</Suffix></IndexDocument>`), ""},
		{"index and error", w(`<IndexDocument><Suffix>index.html</Suffix></IndexDocument><ErrorDocument><Key>err.html</Key></ErrorDocument>`), ""},
		{"redirect all", w(`<RedirectAllRequestsTo><HostName>example.com</HostName><Protocol>https</Protocol></RedirectAllRequestsTo>`), ""},
		{"routing rules", w(`<IndexDocument><Suffix>index.html</Suffix></IndexDocument><RoutingRules><RoutingRule><Condition><KeyPrefixEquals>docs/</KeyPrefixEquals></Condition>` +
			`<Redirect><ReplaceKeyPrefixWith>documents/</ReplaceKeyPrefixWith></Redirect></RoutingRule><RoutingRule><Condition><HttpErrorCodeReturnedEquals>404</HttpErrorCodeReturnedEquals></Condition>` +
			`<Redirect><HostName>example.com</HostName><HttpRedirectCode>302</HttpRedirectCode></Redirect></RoutingRule></RoutingRules>`), ""},
		{"no index", w(`<ErrorDocument><Key>err.html</Key></ErrorDocument>`), s3err.InvalidArgument},
		{"slash suffix", w(`<IndexDocument><Suffix>a/index.html</Suffix></IndexDocument>`), s3err.InvalidArgument},
		{"redirect and index", w(`<IndexDocument><Suffix>i</Suffix></IndexDocument><RedirectAllRequestsTo><HostName>h</HostName></RedirectAllRequestsTo>`), s3err.InvalidArgument},
		{"redirect no host", w(`<RedirectAllRequestsTo><Protocol>http</Protocol></RedirectAllRequestsTo>`), s3err.InvalidArgument},
		{"bad protocol", w(`<RedirectAllRequestsTo><HostName>h</HostName><Protocol>ftp</Protocol></RedirectAllRequestsTo>`), s3err.InvalidArgument},
		{"both replaces", w(`<IndexDocument><Suffix>i</Suffix></IndexDocument><RoutingRules><RoutingRule><Redirect><ReplaceKeyPrefixWith>a</ReplaceKeyPrefixWith><ReplaceKeyWith>b</ReplaceKeyWith></Redirect></RoutingRule></RoutingRules>`), s3err.InvalidArgument},
		{"bad redirect code", w(`<IndexDocument><Suffix>i</Suffix></IndexDocument><RoutingRules><RoutingRule><Redirect><HttpRedirectCode>200</HttpRedirectCode></Redirect></RoutingRule></RoutingRules>`), s3err.InvalidArgument},
		{"bad error code", w(`<IndexDocument><Suffix>i</Suffix></IndexDocument><RoutingRules><RoutingRule><Condition><HttpErrorCodeReturnedEquals>200</HttpErrorCodeReturnedEquals></Condition><Redirect><HostName>h</HostName></Redirect></RoutingRule></RoutingRules>`), s3err.InvalidArgument},
		{"empty redirect", w(`<IndexDocument><Suffix>i</Suffix></IndexDocument><RoutingRules><RoutingRule><Redirect></Redirect></RoutingRule></RoutingRules>`), s3err.InvalidArgument},
	})
}

func TestParseLifecycle(t *testing.T) {
	l := func(rules ...string) string {
		return "<LifecycleConfiguration>" + strings.Join(rules, "") + "</LifecycleConfiguration>"
	}
	r := func(inner string) string { return "<Rule>" + inner + "</Rule>" }
	runParse(t, func(r *strings.Reader) (LifecycleConfiguration, error) { return ParseLifecycleConfiguration(r) }, []parseCase{
		{"days", l(r(`<ID>a</ID><Status>Enabled</Status><Filter><Prefix>logs/</Prefix></Filter><Expiration><Days>30</Days></Expiration>`)), ""},
		{"date", l(r(`<Status>Enabled</Status><Filter></Filter><Expiration><Date>2025-01-01T00:00:00Z</Date></Expiration>`)), ""},
		{"date only", l(r(`<Status>Disabled</Status><Expiration><Date>2025-01-01</Date></Expiration>`)), ""},
		{"abort", l(r(`<Status>Enabled</Status><Filter><And><Prefix>tmp/</Prefix><ObjectSizeGreaterThan>10</ObjectSizeGreaterThan><ObjectSizeLessThan>100</ObjectSizeLessThan></And></Filter><AbortIncompleteMultipartUpload><DaysAfterInitiation>7</DaysAfterInitiation></AbortIncompleteMultipartUpload>`)), ""},
		{"legacy prefix", l(r(`<Prefix>old/</Prefix><Status>Enabled</Status><Expiration><Days>1</Days></Expiration>`)), ""},
		{"size", l(r(`<Status>Enabled</Status><Filter><ObjectSizeLessThan>5</ObjectSizeLessThan></Filter><Expiration><Days>1</Days></Expiration>`)), ""},
		{"no rules", l(), s3err.MalformedXML},
		{"bad status", l(r(`<Status>On</Status><Expiration><Days>1</Days></Expiration>`)), s3err.MalformedXML},
		{"no action", l(r(`<Status>Enabled</Status>`)), s3err.InvalidArgument},
		{"zero days", l(r(`<Status>Enabled</Status><Expiration><Days>0</Days></Expiration>`)), s3err.InvalidArgument},
		{"days and date", l(r(`<Status>Enabled</Status><Expiration><Days>1</Days><Date>2025-01-01</Date></Expiration>`)), s3err.MalformedXML},
		{"not midnight", l(r(`<Status>Enabled</Status><Expiration><Date>2025-01-01T10:00:00Z</Date></Expiration>`)), s3err.InvalidArgument},
		{"bad date", l(r(`<Status>Enabled</Status><Expiration><Date>soon</Date></Expiration>`)), s3err.InvalidArgument},
		{"zero abort", l(r(`<Status>Enabled</Status><AbortIncompleteMultipartUpload><DaysAfterInitiation>0</DaysAfterInitiation></AbortIncompleteMultipartUpload>`)), s3err.InvalidArgument},
		{"two conditions", l(r(`<Status>Enabled</Status><Filter><Prefix>a</Prefix><ObjectSizeLessThan>5</ObjectSizeLessThan></Filter><Expiration><Days>1</Days></Expiration>`)), s3err.MalformedXML},
		{"prefix and filter", l(r(`<Prefix>a</Prefix><Status>Enabled</Status><Filter></Filter><Expiration><Days>1</Days></Expiration>`)), s3err.MalformedXML},
		{"empty and", l(r(`<Status>Enabled</Status><Filter><And></And></Filter><Expiration><Days>1</Days></Expiration>`)), s3err.MalformedXML},
		{"inverted sizes", l(r(`<Status>Enabled</Status><Filter><And><ObjectSizeGreaterThan>10</ObjectSizeGreaterThan><ObjectSizeLessThan>10</ObjectSizeLessThan></And></Filter><Expiration><Days>1</Days></Expiration>`)), s3err.InvalidArgument},
		{"tag", l(r(`<Status>Enabled</Status><Filter><Tag><Key>a</Key><Value>b</Value></Tag></Filter><Expiration><Days>1</Days></Expiration>`)), s3err.NotImplemented},
		{"transition", l(r(`<Status>Enabled</Status><Transition><Days>1</Days><StorageClass>GLACIER</StorageClass></Transition>`)), s3err.NotImplemented},
		{"noncurrent", l(r(`<Status>Enabled</Status><NoncurrentVersionExpiration><NoncurrentDays>1</NoncurrentDays></NoncurrentVersionExpiration>`)), s3err.NotImplemented},
		{"duplicate ids", l(r(`<ID>x</ID><Status>Enabled</Status><Expiration><Days>1</Days></Expiration>`), r(`<ID>x</ID><Status>Enabled</Status><Expiration><Days>2</Days></Expiration>`)), s3err.InvalidArgument},
		{"long id", l(r(`<ID>` + strings.Repeat("x", 256) + `</ID><Status>Enabled</Status><Expiration><Days>1</Days></Expiration>`)), s3err.InvalidArgument},
	})
}

func TestMarshalHasNamespaceAndParsesBack(t *testing.T) {
	c, err := ParseCORSConfiguration(strings.NewReader(`<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>`))
	if err != nil {
		t.Fatal(err)
	}
	out := Marshal(c)
	if !bytes.Contains(out, []byte(`<CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">`)) {
		t.Errorf("no namespace: %s", out)
	}
}

func TestParsedValues(t *testing.T) {
	d, err := ParseDelete(strings.NewReader(`<Delete><Quiet>true</Quiet><Object><Key>a &amp; b</Key><VersionId>v1</VersionId></Object></Delete>`))
	if err != nil || !d.Quiet || len(d.Objects) != 1 || d.Objects[0] != (ObjectIdentifier{"a & b", "v1"}) {
		t.Errorf("ParseDelete = %+v, %v", d, err)
	}
	l, err := ParseLifecycleConfiguration(strings.NewReader(`<LifecycleConfiguration><Rule><Status>Enabled</Status>` +
		`<Filter><Prefix>logs/</Prefix></Filter><Expiration><Date>2025-02-03</Date></Expiration></Rule></LifecycleConfiguration>`))
	if err != nil {
		t.Fatal(err)
	}
	date, err := l.Rules[0].Expiration.DateTime()
	if err != nil || date.Format(time.RFC3339) != "2025-02-03T00:00:00Z" || *l.Rules[0].Filter.Prefix != "logs/" {
		t.Errorf("lifecycle rule %+v: date %v, %v", l.Rules[0], date, err)
	}
	c, err := ParseCompleteMultipartUpload(strings.NewReader(`<CompleteMultipartUpload><Part><ETag>"x"</ETag><PartNumber>4</PartNumber><ChecksumSHA1>abc</ChecksumSHA1></Part></CompleteMultipartUpload>`))
	if err != nil || c.Parts[0].PartNumber != 4 || c.Parts[0].ETag != `"x"` || c.Parts[0].ChecksumSHA1 != "abc" {
		t.Errorf("ParseCompleteMultipartUpload = %+v, %v", c, err)
	}
}
