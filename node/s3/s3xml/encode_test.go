package s3xml

import (
	"encoding/xml"
	"strings"
	"testing"
	"time"
)

// when is a fixed time for documents.
func when() Time {
	return Time(time.Date(2024, 3, 1, 12, 30, 45, 123456789, time.FixedZone("x", 3600)))
}

func TestMarshal(t *testing.T) {
	days := 3
	tests := []struct {
		name string
		v    any
		want string
	}{
		{"buckets", ListAllMyBucketsResult{Owner: Owner{"GK1", "alice"}, Buckets: []Bucket{{Name: "b1", CreationDate: when()}}},
			`<ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>GK1</ID><DisplayName>alice</DisplayName></Owner>` +
				`<Buckets><Bucket><Name>b1</Name><CreationDate>2024-03-01T11:30:45.123Z</CreationDate></Bucket></Buckets></ListAllMyBucketsResult>`},
		{"empty bucket list", ListAllMyBucketsResult{}, `<ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID></ID><DisplayName></DisplayName></Owner><Buckets></Buckets></ListAllMyBucketsResult>`},
		{"list v1", ListBucketResult{Name: "b", Prefix: "p/", MaxKeys: 2, Delimiter: "/", IsTruncated: true, NextMarker: "p/c",
			Contents:       []Object{{Key: "p/a&b", LastModified: when(), ETag: `"e"`, Size: 3, StorageClass: "STANDARD"}},
			CommonPrefixes: []CommonPrefix{{"p/c/"}}},
			`<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><Prefix>p/</Prefix><Marker></Marker><NextMarker>p/c</NextMarker>` +
				`<MaxKeys>2</MaxKeys><Delimiter>/</Delimiter><IsTruncated>true</IsTruncated><Contents><Key>p/a&amp;b</Key><LastModified>2024-03-01T11:30:45.123Z</LastModified>` +
				`<ETag>&#34;e&#34;</ETag><Size>3</Size><StorageClass>STANDARD</StorageClass></Contents><CommonPrefixes><Prefix>p/c/</Prefix></CommonPrefixes></ListBucketResult>`},
		{"list v2 with owner", ListBucketResultV2{Name: "b", MaxKeys: 1000, KeyCount: 1, ContinuationToken: "tok",
			Contents: []Object{{Key: "k", LastModified: when(), ETag: `"e"`, Size: 1, StorageClass: "STANDARD", Owner: &Owner{"GK1", "alice"}}}},
			`<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><Prefix></Prefix><MaxKeys>1000</MaxKeys><KeyCount>1</KeyCount>` +
				`<IsTruncated>false</IsTruncated><ContinuationToken>tok</ContinuationToken><Contents><Key>k</Key><LastModified>2024-03-01T11:30:45.123Z</LastModified>` +
				`<ETag>&#34;e&#34;</ETag><Size>1</Size><StorageClass>STANDARD</StorageClass><Owner><ID>GK1</ID><DisplayName>alice</DisplayName></Owner></Contents></ListBucketResult>`},
		{"location", LocationConstraint{Region: "garage"}, `<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">garage</LocationConstraint>`},
		{"initiate", InitiateMultipartUploadResult{Bucket: "b", Key: "k", UploadID: "u"},
			`<InitiateMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Bucket>b</Bucket><Key>k</Key><UploadId>u</UploadId></InitiateMultipartUploadResult>`},
		{"copy", CopyObjectResult{ETag: `"e"`, LastModified: when(), Checksums: Checksums{ChecksumCRC32: "AAAAAA=="}},
			`<CopyObjectResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><ETag>&#34;e&#34;</ETag><LastModified>2024-03-01T11:30:45.123Z</LastModified><ChecksumCRC32>AAAAAA==</ChecksumCRC32></CopyObjectResult>`},
		{"delete result", DeleteResult{Deleted: []Deleted{{Key: "a"}}, Errors: []DeleteError{{Key: "b", Code: "AccessDenied", Message: "no"}}},
			`<DeleteResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Deleted><Key>a</Key></Deleted><Error><Key>b</Key><Code>AccessDenied</Code><Message>no</Message></Error></DeleteResult>`},
		{"versioning", VersioningConfiguration{}, `<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"></VersioningConfiguration>`},
		{"lifecycle", LifecycleConfiguration{Rules: []LifecycleRule{{ID: "r", Status: "Enabled", Filter: &Filter{}, Expiration: &Expiration{Days: &days}}}},
			`<LifecycleConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Rule><ID>r</ID><Status>Enabled</Status><Filter></Filter><Expiration><Days>3</Days></Expiration></Rule></LifecycleConfiguration>`},
	}
	for _, tt := range tests {
		got := string(Marshal(tt.v))
		if !strings.HasPrefix(got, xml.Header) {
			t.Errorf("%s: no XML declaration", tt.name)
		}
		if got = strings.TrimPrefix(got, xml.Header); got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, got, tt.want)
		}
	}
}

func TestURLEncode(t *testing.T) {
	l := ListBucketResultV2{Prefix: "a b/", Delimiter: "/", StartAfter: "é", ContinuationToken: "a b",
		Contents: []Object{{Key: "a b/c+d"}}, CommonPrefixes: []CommonPrefix{{"a b/x&y/"}}}
	l.URLEncode()
	want := ListBucketResultV2{Prefix: "a%20b/", Delimiter: "/", StartAfter: "%C3%A9", ContinuationToken: "a b", EncodingType: "url",
		Contents: []Object{{Key: "a%20b/c%2Bd"}}, CommonPrefixes: []CommonPrefix{{"a%20b/x%26y/"}}}
	if l.Prefix != want.Prefix || l.StartAfter != want.StartAfter || l.ContinuationToken != want.ContinuationToken ||
		l.EncodingType != want.EncodingType || l.Contents[0].Key != want.Contents[0].Key || l.CommonPrefixes[0] != want.CommonPrefixes[0] {
		t.Errorf("URLEncode:\n got %+v\nwant %+v", l, want)
	}
	v1 := ListBucketResult{Marker: "m n", NextMarker: "n o", Delimiter: " "}
	v1.URLEncode()
	if v1.Marker != "m%20n" || v1.NextMarker != "n%20o" || v1.Delimiter != "%20" || v1.EncodingType != "url" {
		t.Errorf("v1 URLEncode: %+v", v1)
	}
	u := ListMultipartUploadsResult{KeyMarker: "k k", Uploads: []Upload{{Key: "u u"}}}
	u.URLEncode()
	if u.KeyMarker != "k%20k" || u.Uploads[0].Key != "u%20u" || u.EncodingType != "url" {
		t.Errorf("uploads URLEncode: %+v", u)
	}
}

func TestTimeRoundTrip(t *testing.T) {
	var got Time
	if err := got.UnmarshalText([]byte("2024-03-01T11:30:45.123Z")); err != nil {
		t.Fatal(err)
	}
	if !time.Time(got).Equal(time.Time(when()).Truncate(time.Millisecond)) {
		t.Errorf("parsed %v", time.Time(got))
	}
	if err := got.UnmarshalText([]byte("yesterday")); err == nil {
		t.Error("parsed garbage")
	}
}
