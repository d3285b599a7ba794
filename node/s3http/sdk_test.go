package s3http_test

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
)

// apiCode returns the S3 error code of err, or "".
func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

func TestSDKObjectBasics(t *testing.T) {
	s := newServer(t, s3Config())
	c, ctx := s.client(), ctxT(t)
	if _, err := c.CreateBucket(ctx, &awss3.CreateBucketInput{Bucket: aws.String("bkt")}); err != nil {
		t.Fatalf("create bucket: %v", err)
	}
	body := bytes.Repeat([]byte("0123456789"), 1000)
	key := `dir/a &+-é" b.txt`
	put, err := c.PutObject(ctx, &awss3.PutObjectInput{Bucket: aws.String("bkt"), Key: aws.String(key),
		Body: bytes.NewReader(body), ContentType: aws.String("text/plain"), Metadata: map[string]string{"color": "blue"}})
	if err != nil {
		t.Fatalf("put: %v", err)
	}
	get, err := c.GetObject(ctx, &awss3.GetObjectInput{Bucket: aws.String("bkt"), Key: aws.String(key)})
	if err != nil {
		t.Fatalf("get: %v", err)
	}
	got, _ := io.ReadAll(get.Body)
	if !bytes.Equal(got, body) || aws.ToString(get.ETag) != aws.ToString(put.ETag) {
		t.Errorf("get: %d bytes etag %s, want %d bytes etag %s", len(got), aws.ToString(get.ETag), len(body), aws.ToString(put.ETag))
	}
	if get.Metadata["color"] != "blue" || aws.ToString(get.ContentType) != "text/plain" {
		t.Errorf("get: metadata %v content type %q", get.Metadata, aws.ToString(get.ContentType))
	}
	rg, err := c.GetObject(ctx, &awss3.GetObjectInput{Bucket: aws.String("bkt"), Key: aws.String(key), Range: aws.String("bytes=5-14")})
	if err != nil {
		t.Fatalf("get range: %v", err)
	}
	if got, _ := io.ReadAll(rg.Body); string(got) != "5678901234" {
		t.Errorf("range: got %q", got)
	}
	list, err := c.ListObjectsV2(ctx, &awss3.ListObjectsV2Input{Bucket: aws.String("bkt"), Delimiter: aws.String("/")})
	if err != nil {
		t.Fatalf("list: %v", err)
	}
	if len(list.CommonPrefixes) != 1 || aws.ToString(list.CommonPrefixes[0].Prefix) != "dir/" {
		t.Errorf("list: prefixes %v", list.CommonPrefixes)
	}
	if _, err := c.DeleteObject(ctx, &awss3.DeleteObjectInput{Bucket: aws.String("bkt"), Key: aws.String(key)}); err != nil {
		t.Fatalf("delete: %v", err)
	}
	_, err = c.HeadObject(ctx, &awss3.HeadObjectInput{Bucket: aws.String("bkt"), Key: aws.String(key)})
	var nf *types.NotFound
	if !errors.As(err, &nf) {
		t.Errorf("head after delete: %v, want NotFound", err)
	}
}

func TestSDKMultipart(t *testing.T) {
	s := newServer(t, s3Config())
	c, ctx := s.client(), ctxT(t)
	mustCreate(t, c, "mpb")
	cr, err := c.CreateMultipartUpload(ctx, &awss3.CreateMultipartUploadInput{Bucket: aws.String("mpb"), Key: aws.String("big")})
	if err != nil {
		t.Fatalf("create upload: %v", err)
	}
	parts := [][]byte{bytes.Repeat([]byte("a"), 5<<20), bytes.Repeat([]byte("b"), 5<<20), []byte("tail")}
	var done []types.CompletedPart
	for i, p := range parts {
		up, err := c.UploadPart(ctx, &awss3.UploadPartInput{Bucket: aws.String("mpb"), Key: aws.String("big"),
			UploadId: cr.UploadId, PartNumber: aws.Int32(int32(i + 1)), Body: bytes.NewReader(p)})
		if err != nil {
			t.Fatalf("upload part %d: %v", i+1, err)
		}
		done = append(done, types.CompletedPart{PartNumber: aws.Int32(int32(i + 1)), ETag: up.ETag,
			ChecksumCRC32: up.ChecksumCRC32})
	}
	lp, err := c.ListParts(ctx, &awss3.ListPartsInput{Bucket: aws.String("mpb"), Key: aws.String("big"), UploadId: cr.UploadId})
	if err != nil || len(lp.Parts) != 3 {
		t.Fatalf("list parts: %v, %d parts", err, len(lp.Parts))
	}
	// Complete with a subset: parts 1 and 3.
	subset := []types.CompletedPart{done[0], done[2]}
	if _, err := c.CompleteMultipartUpload(ctx, &awss3.CompleteMultipartUploadInput{Bucket: aws.String("mpb"), Key: aws.String("big"),
		UploadId: cr.UploadId, MultipartUpload: &types.CompletedMultipartUpload{Parts: subset}}); err != nil {
		t.Fatalf("complete: %v", err)
	}
	get, err := c.GetObject(ctx, &awss3.GetObjectInput{Bucket: aws.String("mpb"), Key: aws.String("big")})
	if err != nil {
		t.Fatalf("get: %v", err)
	}
	got, _ := io.ReadAll(get.Body)
	want := append(append([]byte{}, parts[0]...), parts[2]...)
	if !bytes.Equal(got, want) || !strings.HasSuffix(aws.ToString(get.ETag), `-2"`) {
		t.Errorf("get: %d bytes, etag %s", len(got), aws.ToString(get.ETag))
	}
	p2, err := c.GetObject(ctx, &awss3.GetObjectInput{Bucket: aws.String("mpb"), Key: aws.String("big"), PartNumber: aws.Int32(2)})
	if err != nil {
		t.Fatalf("get part 2: %v", err)
	}
	if got, _ := io.ReadAll(p2.Body); string(got) != "tail" || aws.ToInt32(p2.PartsCount) != 2 {
		t.Errorf("get part 2: %q, parts count %d", got, aws.ToInt32(p2.PartsCount))
	}
}

func mustCreate(t *testing.T, c *awss3.Client, name string) {
	t.Helper()
	if _, err := c.CreateBucket(ctxT(t), &awss3.CreateBucketInput{Bucket: aws.String(name)}); err != nil {
		t.Fatalf("create bucket %s: %v", name, err)
	}
}

func TestSDKWrongSecret(t *testing.T) {
	s := newServer(t, s3Config())
	c := s.client(func(o *awss3.Options) {
		o.Credentials = aws.NewCredentialsCache(staticCreds(keyID, "wrong"))
	})
	_, err := c.ListBuckets(ctxT(t), &awss3.ListBucketsInput{})
	if code := apiCode(err); code != "SignatureDoesNotMatch" {
		t.Errorf("wrong secret: %v (code %q), want SignatureDoesNotMatch", err, code)
	}
}
