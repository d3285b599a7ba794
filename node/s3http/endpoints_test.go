package s3http_test

import (
	"bytes"
	"crypto/md5"
	"encoding/base64"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/minio/minio-go/v7"

	"github.com/gogarage/garage/node/s3/s3test"
)

func TestSSEC(t *testing.T) {
	s := newServer(t, s3Config())
	c, ctx := s.client(), ctxT(t)
	mustCreate(t, c, "sse")
	key := bytes.Repeat([]byte{7}, 32)
	k64 := base64.StdEncoding.EncodeToString(key)
	sum := md5.Sum(key)
	m64 := base64.StdEncoding.EncodeToString(sum[:])
	body := bytes.Repeat([]byte("secret data "), 20_000) // 240 KB: several AES-GCM chunks
	if _, err := c.PutObject(ctx, &awss3.PutObjectInput{Bucket: aws.String("sse"), Key: aws.String("enc"), Body: bytes.NewReader(body),
		SSECustomerAlgorithm: aws.String("AES256"), SSECustomerKey: aws.String(k64), SSECustomerKeyMD5: aws.String(m64)}); err != nil {
		t.Fatalf("put: %v", err)
	}
	b, _ := s.mem.BucketByAlias(ctx, "sse")
	stored, _ := s.mem.Head(ctx, b.ID, "enc")
	if bytes.Contains(storedBytes(stored), []byte("secret data")) {
		t.Fatal("stored data is plaintext")
	}
	if _, err := c.GetObject(ctx, &awss3.GetObjectInput{Bucket: aws.String("sse"), Key: aws.String("enc")}); apiCode(err) != "InvalidRequest" {
		t.Errorf("get without key: %v, want InvalidRequest", err)
	}
	get, err := c.GetObject(ctx, &awss3.GetObjectInput{Bucket: aws.String("sse"), Key: aws.String("enc"), Range: aws.String("bytes=65530-131080"),
		SSECustomerAlgorithm: aws.String("AES256"), SSECustomerKey: aws.String(k64), SSECustomerKeyMD5: aws.String(m64)})
	if err != nil {
		t.Fatalf("get range: %v", err)
	}
	if got, _ := io.ReadAll(get.Body); !bytes.Equal(got, body[65530:131081]) {
		t.Errorf("get range across chunks: %d bytes, mismatch", len(got))
	}
	// Copy to a plain object, decrypting with the copy-source key.
	if _, err := c.CopyObject(ctx, &awss3.CopyObjectInput{Bucket: aws.String("sse"), Key: aws.String("plain"), CopySource: aws.String("sse/enc"),
		CopySourceSSECustomerAlgorithm: aws.String("AES256"), CopySourceSSECustomerKey: aws.String(k64),
		CopySourceSSECustomerKeyMD5: aws.String(m64)}); err != nil {
		t.Fatalf("copy: %v", err)
	}
	plain, err := c.GetObject(ctx, &awss3.GetObjectInput{Bucket: aws.String("sse"), Key: aws.String("plain")})
	if err != nil {
		t.Fatalf("get copy: %v", err)
	}
	if got, _ := io.ReadAll(plain.Body); !bytes.Equal(got, body) {
		t.Errorf("decrypted copy differs")
	}
}

func TestCopyAndConditions(t *testing.T) {
	s := newServer(t, s3Config())
	c, ctx := s.client(), ctxT(t)
	mustCreate(t, c, "cpy")
	put, err := c.PutObject(ctx, &awss3.PutObjectInput{Bucket: aws.String("cpy"), Key: aws.String("src"), Body: strings.NewReader("hello world"),
		Metadata: map[string]string{"a": "1"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.CopyObject(ctx, &awss3.CopyObjectInput{Bucket: aws.String("cpy"), Key: aws.String("dst"), CopySource: aws.String("cpy/src"),
		CopySourceIfMatch: aws.String(`"nope"`)}); apiCode(err) != "PreconditionFailed" {
		t.Errorf("copy if-match wrong: %v", err)
	}
	if _, err := c.CopyObject(ctx, &awss3.CopyObjectInput{Bucket: aws.String("cpy"), Key: aws.String("dst"), CopySource: aws.String("cpy/src"),
		CopySourceIfMatch: put.ETag, MetadataDirective: types.MetadataDirectiveReplace, Metadata: map[string]string{"b": "2"}}); err != nil {
		t.Fatalf("copy: %v", err)
	}
	h, err := c.HeadObject(ctx, &awss3.HeadObjectInput{Bucket: aws.String("cpy"), Key: aws.String("dst")})
	if err != nil || h.Metadata["b"] != "2" || h.Metadata["a"] != "" || aws.ToString(h.ETag) != aws.ToString(put.ETag) {
		t.Errorf("head copy: %v %v", err, h)
	}
	_, err = c.GetObject(ctx, &awss3.GetObjectInput{Bucket: aws.String("cpy"), Key: aws.String("src"), IfNoneMatch: put.ETag})
	if !isStatus(err, 304) {
		t.Errorf("get if-none-match: %v, want 304", err)
	}
	_, err = c.GetObject(ctx, &awss3.GetObjectInput{Bucket: aws.String("cpy"), Key: aws.String("src"), IfUnmodifiedSince: aws.Time(time.Now().Add(-time.Hour))})
	if apiCode(err) != "PreconditionFailed" {
		t.Errorf("get if-unmodified-since: %v", err)
	}
	if tg, err := c.GetObjectTagging(ctx, &awss3.GetObjectTaggingInput{Bucket: aws.String("cpy"), Key: aws.String("src")}); err != nil || len(tg.TagSet) != 0 {
		t.Errorf("get object tagging: %v", err)
	}
	o, err := c.GetObject(ctx, &awss3.GetObjectInput{Bucket: aws.String("cpy"), Key: aws.String("src"), ResponseContentType: aws.String("x/y"),
		ResponseContentDisposition: aws.String("attachment")})
	if err != nil || aws.ToString(o.ContentType) != "x/y" || aws.ToString(o.ContentDisposition) != "attachment" {
		t.Errorf("response overrides: %v", err)
	}
	// UploadPartCopy with a range.
	cr, _ := c.CreateMultipartUpload(ctx, &awss3.CreateMultipartUploadInput{Bucket: aws.String("cpy"), Key: aws.String("mp")})
	pc, err := c.UploadPartCopy(ctx, &awss3.UploadPartCopyInput{Bucket: aws.String("cpy"), Key: aws.String("mp"), UploadId: cr.UploadId,
		PartNumber: aws.Int32(1), CopySource: aws.String("cpy/src"), CopySourceRange: aws.String("bytes=6-10")})
	if err != nil {
		t.Fatalf("upload part copy: %v", err)
	}
	if _, err := c.CompleteMultipartUpload(ctx, &awss3.CompleteMultipartUploadInput{Bucket: aws.String("cpy"), Key: aws.String("mp"), UploadId: cr.UploadId,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{{PartNumber: aws.Int32(1), ETag: pc.CopyPartResult.ETag}}}}); err != nil {
		t.Fatalf("complete: %v", err)
	}
	g, _ := c.GetObject(ctx, &awss3.GetObjectInput{Bucket: aws.String("cpy"), Key: aws.String("mp")})
	if got, _ := io.ReadAll(g.Body); string(got) != "world" {
		t.Errorf("part copy: %q", got)
	}
}

func isStatus(err error, code int) bool {
	var re interface{ HTTPStatusCode() int }
	return asAs(err, &re) && re.HTTPStatusCode() == code
}

func TestListings(t *testing.T) {
	s := newServer(t, s3Config())
	c, ctx := s.client(), ctxT(t)
	mustCreate(t, c, "lst")
	keys := []string{"a/1", "a/2", "a//3", "b::c::d", "b::e", "c", "sp ace", "é"}
	for _, k := range keys {
		if _, err := c.PutObject(ctx, &awss3.PutObjectInput{Bucket: aws.String("lst"), Key: aws.String(k), Body: strings.NewReader(k)}); err != nil {
			t.Fatal(err)
		}
	}
	// V2 pages of 2 with a multi-character delimiter.
	var got []string
	var token *string
	for {
		out, err := c.ListObjectsV2(ctx, &awss3.ListObjectsV2Input{Bucket: aws.String("lst"), Delimiter: aws.String("::"), MaxKeys: aws.Int32(2),
			ContinuationToken: token, FetchOwner: aws.Bool(true)})
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range out.Contents {
			got = append(got, aws.ToString(o.Key))
		}
		for _, p := range out.CommonPrefixes {
			got = append(got, aws.ToString(p.Prefix))
		}
		if !aws.ToBool(out.IsTruncated) {
			break
		}
		token = out.NextContinuationToken
	}
	want := "a//3 a/1 a/2 b:: c sp ace é"
	if strings.Join(sortStrings(got), " ") != want {
		t.Errorf("v2 listing: %q, want %q", strings.Join(sortStrings(got), " "), want)
	}
	// V1 with a marker inside a common prefix.
	v1, err := c.ListObjects(ctx, &awss3.ListObjectsInput{Bucket: aws.String("lst"), Delimiter: aws.String("/"), Marker: aws.String("a/1")})
	if err != nil {
		t.Fatal(err)
	}
	if len(v1.CommonPrefixes) != 0 || len(v1.Contents) != 5 || aws.ToString(v1.Contents[0].Key) != "b::c::d" {
		t.Errorf("v1 after marker a/1: %d contents, %d prefixes", len(v1.Contents), len(v1.CommonPrefixes))
	}
	// encoding-type=url.
	enc, err := c.ListObjectsV2(ctx, &awss3.ListObjectsV2Input{Bucket: aws.String("lst"), Prefix: aws.String("sp"), EncodingType: types.EncodingTypeUrl})
	if err != nil || len(enc.Contents) != 1 || aws.ToString(enc.Contents[0].Key) != "sp%20ace" {
		t.Errorf("url-encoded listing: %v %v", err, enc)
	}
	// DeleteObjects.
	del, err := c.DeleteObjects(ctx, &awss3.DeleteObjectsInput{Bucket: aws.String("lst"), Delete: &types.Delete{
		Objects: []types.ObjectIdentifier{{Key: aws.String("a/1")}, {Key: aws.String("c")}}}})
	if err != nil || len(del.Deleted) != 2 {
		t.Fatalf("delete objects: %v", err)
	}
	// ListMultipartUploads.
	for _, k := range []string{"u1", "u2", "u3"} {
		c.CreateMultipartUpload(ctx, &awss3.CreateMultipartUploadInput{Bucket: aws.String("lst"), Key: aws.String(k)})
	}
	lu, err := c.ListMultipartUploads(ctx, &awss3.ListMultipartUploadsInput{Bucket: aws.String("lst"), MaxUploads: aws.Int32(2)})
	if err != nil || len(lu.Uploads) != 2 || !aws.ToBool(lu.IsTruncated) {
		t.Fatalf("list uploads: %v", err)
	}
	rest, err := c.ListMultipartUploads(ctx, &awss3.ListMultipartUploadsInput{Bucket: aws.String("lst"), KeyMarker: lu.NextKeyMarker,
		UploadIdMarker: lu.NextUploadIdMarker})
	if err != nil || len(rest.Uploads) != 1 || aws.ToString(rest.Uploads[0].Key) != "u3" {
		t.Errorf("list uploads, second page: %v", err)
	}
	if _, err := c.AbortMultipartUpload(ctx, &awss3.AbortMultipartUploadInput{Bucket: aws.String("lst"), Key: aws.String("u3"),
		UploadId: rest.Uploads[0].UploadId}); err != nil {
		t.Errorf("abort: %v", err)
	}
}

func sortStrings(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func TestBucketConfigs(t *testing.T) {
	s := newServer(t, s3Config())
	c, ctx := s.client(), ctxT(t)
	mustCreate(t, c, "cfg")
	if _, err := c.HeadBucket(ctx, &awss3.HeadBucketInput{Bucket: aws.String("cfg")}); err != nil {
		t.Errorf("head bucket: %v", err)
	}
	loc, err := c.GetBucketLocation(ctx, &awss3.GetBucketLocationInput{Bucket: aws.String("cfg")})
	if err != nil || string(loc.LocationConstraint) != region {
		t.Errorf("location: %v %v", err, loc)
	}
	if v, err := c.GetBucketVersioning(ctx, &awss3.GetBucketVersioningInput{Bucket: aws.String("cfg")}); err != nil || v.Status != "" {
		t.Errorf("versioning: %v", err)
	}
	if _, err := c.PutBucketWebsite(ctx, &awss3.PutBucketWebsiteInput{Bucket: aws.String("cfg"), WebsiteConfiguration: &types.WebsiteConfiguration{
		IndexDocument: &types.IndexDocument{Suffix: aws.String("index.html")}}}); err != nil {
		t.Fatalf("put website: %v", err)
	}
	if w, err := c.GetBucketWebsite(ctx, &awss3.GetBucketWebsiteInput{Bucket: aws.String("cfg")}); err != nil || aws.ToString(w.IndexDocument.Suffix) != "index.html" {
		t.Errorf("get website: %v", err)
	}
	if _, err := c.DeleteBucketWebsite(ctx, &awss3.DeleteBucketWebsiteInput{Bucket: aws.String("cfg")}); err != nil {
		t.Errorf("delete website: %v", err)
	}
	if _, err := c.GetBucketWebsite(ctx, &awss3.GetBucketWebsiteInput{Bucket: aws.String("cfg")}); apiCode(err) != "NoSuchWebsiteConfiguration" {
		t.Errorf("website after delete: %v", err)
	}
	if _, err := c.PutBucketCors(ctx, &awss3.PutBucketCorsInput{Bucket: aws.String("cfg"), CORSConfiguration: &types.CORSConfiguration{
		CORSRules: []types.CORSRule{{AllowedMethods: []string{"GET", "PUT"}, AllowedOrigins: []string{"https://app.example"},
			AllowedHeaders: []string{"*"}}}}}); err != nil {
		t.Fatalf("put cors: %v", err)
	}
	req, _ := http.NewRequest("OPTIONS", s.srv.URL+"/cfg/obj", nil)
	req.Header.Set("Origin", "https://app.example")
	req.Header.Set("Access-Control-Request-Method", "PUT")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 || resp.Header.Get("Access-Control-Allow-Origin") != "https://app.example" {
		t.Errorf("preflight: %v %v", err, status(resp))
	}
	req.Header.Set("Origin", "https://evil.example")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 403 {
		t.Errorf("preflight from another origin: %v %v", err, status(resp))
	}
	// An actual request from an allowed origin carries the CORS headers.
	lr, _ := http.NewRequest("GET", s.srv.URL+"/cfg?location&X-Amz-Expires=60", nil)
	u, _, _ := signer().PresignHTTP(ctx, creds(), lr, "UNSIGNED-PAYLOAD", "s3", region, time.Now())
	actual, _ := http.NewRequest("GET", u, nil)
	actual.Header.Set("Origin", "https://app.example")
	if resp, err := http.DefaultClient.Do(actual); err != nil || resp.Header.Get("Access-Control-Allow-Origin") != "https://app.example" {
		t.Errorf("actual CORS request: %v %v", err, resp.Header)
	}
	days := int32(3)
	if _, err := c.PutBucketLifecycleConfiguration(ctx, &awss3.PutBucketLifecycleConfigurationInput{Bucket: aws.String("cfg"),
		LifecycleConfiguration: &types.BucketLifecycleConfiguration{Rules: []types.LifecycleRule{{ID: aws.String("old"),
			Status: types.ExpirationStatusEnabled, Filter: &types.LifecycleRuleFilter{Prefix: aws.String("tmp/")},
			Expiration: &types.LifecycleExpiration{Days: &days}}}}}); err != nil {
		t.Fatalf("put lifecycle: %v", err)
	}
	lc, err := c.GetBucketLifecycleConfiguration(ctx, &awss3.GetBucketLifecycleConfigurationInput{Bucket: aws.String("cfg")})
	if err != nil || len(lc.Rules) != 1 || aws.ToInt32(lc.Rules[0].Expiration.Days) != 3 {
		t.Errorf("get lifecycle: %v", err)
	}
	c.PutObject(ctx, &awss3.PutObjectInput{Bucket: aws.String("cfg"), Key: aws.String("tmp/x"), Body: strings.NewReader("x")})
	c.PutObject(ctx, &awss3.PutObjectInput{Bucket: aws.String("cfg"), Key: aws.String("keep"), Body: strings.NewReader("x")})
	st, err := s.svc.LifecyclePass(ctx, time.Now().Add(5*24*time.Hour))
	if err != nil || st.Expired != 1 {
		t.Errorf("lifecycle pass: %+v %v", st, err)
	}
	if _, err := c.HeadObject(ctx, &awss3.HeadObjectInput{Bucket: aws.String("cfg"), Key: aws.String("keep")}); err != nil {
		t.Errorf("lifecycle expired a key outside its prefix: %v", err)
	}
	if _, err := c.DeleteBucket(ctx, &awss3.DeleteBucketInput{Bucket: aws.String("cfg")}); apiCode(err) != "BucketNotEmpty" {
		t.Errorf("delete non-empty bucket: %v", err)
	}
	if _, err := c.PutBucketAcl(ctx, &awss3.PutBucketAclInput{Bucket: aws.String("cfg"), ACL: types.BucketCannedACLPrivate}); apiCode(err) != "NotImplemented" {
		t.Errorf("put bucket acl: %v, want NotImplemented", err)
	}
}

func TestQuota(t *testing.T) {
	s := newServer(t, s3Config())
	c, ctx := s.client(), ctxT(t)
	mustCreate(t, c, "quo")
	s.mem.SetQuota("quo", s3test.Quota{MaxObjects: 1})
	if _, err := c.PutObject(ctx, &awss3.PutObjectInput{Bucket: aws.String("quo"), Key: aws.String("a"), Body: strings.NewReader("x")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutObject(ctx, &awss3.PutObjectInput{Bucket: aws.String("quo"), Key: aws.String("b"), Body: strings.NewReader("x")}); apiCode(err) != "QuotaExceeded" {
		t.Errorf("put over quota: %v", err)
	}
}

func TestPostObject(t *testing.T) {
	s := newServer(t, s3Config())
	mustCreate(t, s.client(), "form")
	mc := s.minioClient(t, false)
	p := minio.NewPostPolicy()
	p.SetBucket("form")
	p.SetKeyStartsWith("uploads/")
	p.SetExpires(time.Now().Add(time.Hour))
	p.SetContentLengthRange(1, 1<<20)
	u, fields, err := mc.PresignedPostPolicy(ctxT(t), p)
	if err != nil {
		t.Fatal(err)
	}
	_ = u
	fields["key"] = "uploads/${filename}"
	var buf bytes.Buffer
	mw := newMultipart(&buf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("file", "hello.txt")
	fw.Write([]byte("posted!"))
	mw.Close()
	resp, err := http.Post(s.srv.URL+"/form", mw.FormDataContentType(), &buf)
	if err != nil || resp.StatusCode != 204 {
		t.Fatalf("post: %v %v", err, status(resp))
	}
	g, err := s.client().GetObject(ctxT(t), &awss3.GetObjectInput{Bucket: aws.String("form"), Key: aws.String("uploads/hello.txt")})
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := io.ReadAll(g.Body); string(b) != "posted!" {
		t.Errorf("posted object: %q", b)
	}
}
