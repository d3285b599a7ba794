package daemon

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/minio/minio-go/v7"
	mcreds "github.com/minio/minio-go/v7/pkg/credentials"
)

const (
	s3KeyID  = "GK0000000000000000000000aa"
	s3Secret = "aaaa0000aaaa0000aaaa0000aaaa0000aaaa0000aaaa0000aaaa0000aaaa0000"
)

// s3Cluster starts three daemons serving S3 and websites on loopback,
// with a layout and an access key allowed to create buckets.
func s3Cluster(t *testing.T) []*Daemon {
	t.Helper()
	os.Unsetenv("AWS_CA_BUNDLE") // the SDKs refuse plain http with one
	secret := testSecret(9)
	var ds []*Daemon
	for i := range 3 {
		var boot []string
		if i > 0 {
			boot = []string{string(ds[0].ID()) + "@" + ds[0].Addr()}
		}
		cfg := testConfig(t, t.TempDir(), secret, boot...)
		cfg.S3API = S3API{APIBindAddr: freeAddr(t), S3Region: "garage", RootDomain: ".s3.garage.localhost"}
		cfg.S3Web = S3Web{BindAddr: freeAddr(t), RootDomain: ".web.garage.localhost", Index: "index.html"}
		ds = append(ds, startDaemon(t, cfg))
	}
	c := dialDaemon(t, ds[0], secret)
	waitUp(t, 3, c)
	assignAll(t, ds, c)
	ctx := context.Background()
	eventually(t, "import key", func() error {
		_, err := ds[0].Node().Objects().ImportKey(ctx, s3KeyID, s3Secret, "it")
		if err != nil && strings.Contains(err.Error(), "exists") {
			return nil
		}
		return err
	})
	if err := ds[0].Node().Objects().SetAllowCreateBucket(ctx, s3KeyID, true); err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		eventually(t, "key known everywhere", func() error {
			_, err := d.Node().Objects().Key(s3KeyID)
			return err
		})
	}
	return ds
}

func sdkClient(d *Daemon) *awss3.Client {
	return awss3.New(awss3.Options{Region: "garage", BaseEndpoint: aws.String("http://" + d.S3Addr()), UsePathStyle: true,
		Credentials: credentials.NewStaticCredentialsProvider(s3KeyID, s3Secret, "")})
}

// TestS3OnRealCluster runs aws-sdk-go-v2 and minio-go against three real
// daemons: writes through one node, reads through another.
func TestS3OnRealCluster(t *testing.T) {
	ds := s3Cluster(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	a, b := sdkClient(ds[0]), sdkClient(ds[1])
	bucket := aws.String("itest")
	if _, err := a.CreateBucket(ctx, &awss3.CreateBucketInput{Bucket: bucket}); err != nil {
		t.Fatalf("create bucket: %v", err)
	}
	eventually(t, "bucket visible on node 2", func() error {
		_, err := b.HeadBucket(ctx, &awss3.HeadBucketInput{Bucket: bucket})
		return err
	})
	body := bytes.Repeat([]byte("garage "), 500_000) // 3.5 MB: several blocks
	key := `dir/f &+-é" x`
	if _, err := a.PutObject(ctx, &awss3.PutObjectInput{Bucket: bucket, Key: aws.String(key), Body: bytes.NewReader(body)}); err != nil {
		t.Fatalf("put: %v", err)
	}
	checkGet(t, b, "itest", key, body)
	rg, err := b.GetObject(ctx, &awss3.GetObjectInput{Bucket: bucket, Key: aws.String(key), Range: aws.String("bytes=1048570-1048590")})
	if err != nil {
		t.Fatalf("range: %v", err)
	}
	if got, _ := io.ReadAll(rg.Body); !bytes.Equal(got, body[1048570:1048591]) {
		t.Errorf("range across blocks: %q", got)
	}
	testMultipartAndCopy(t, ctx, a, b)
	testSSEC(t, ctx, a, b)
	testMinio(t, ctx, ds[2])
	testWebsite(t, ctx, ds)
	out, err := b.ListObjectsV2(ctx, &awss3.ListObjectsV2Input{Bucket: bucket, Delimiter: aws.String("/")})
	if err != nil || len(out.CommonPrefixes) != 1 {
		t.Errorf("list: %v %v", err, out)
	}
	if _, err := a.DeleteObject(ctx, &awss3.DeleteObjectInput{Bucket: bucket, Key: aws.String(key)}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.HeadObject(ctx, &awss3.HeadObjectInput{Bucket: bucket, Key: aws.String(key)}); err == nil {
		t.Errorf("head after delete succeeded")
	}
}

func checkGet(t *testing.T, c *awss3.Client, bucket, key string, want []byte) {
	t.Helper()
	g, err := c.GetObject(context.Background(), &awss3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		t.Fatalf("get %s: %v", key, err)
	}
	if got, _ := io.ReadAll(g.Body); !bytes.Equal(got, want) {
		t.Fatalf("get %s: %d bytes, want %d", key, len(got), len(want))
	}
}

func testMultipartAndCopy(t *testing.T, ctx context.Context, a, b *awss3.Client) {
	bucket := aws.String("itest")
	cr, err := a.CreateMultipartUpload(ctx, &awss3.CreateMultipartUploadInput{Bucket: bucket, Key: aws.String("mp")})
	if err != nil {
		t.Fatal(err)
	}
	p1, p2 := bytes.Repeat([]byte{1}, 5<<20), []byte("tail")
	var parts []types.CompletedPart
	for i, p := range [][]byte{p1, p2} {
		up, err := b.UploadPart(ctx, &awss3.UploadPartInput{Bucket: bucket, Key: aws.String("mp"), UploadId: cr.UploadId,
			PartNumber: aws.Int32(int32(i + 1)), Body: bytes.NewReader(p)})
		if err != nil {
			t.Fatalf("part %d: %v", i+1, err)
		}
		parts = append(parts, types.CompletedPart{PartNumber: aws.Int32(int32(i + 1)), ETag: up.ETag})
	}
	if _, err := a.CompleteMultipartUpload(ctx, &awss3.CompleteMultipartUploadInput{Bucket: bucket, Key: aws.String("mp"),
		UploadId: cr.UploadId, MultipartUpload: &types.CompletedMultipartUpload{Parts: parts}}); err != nil {
		t.Fatalf("complete: %v", err)
	}
	checkGet(t, b, "itest", "mp", append(append([]byte{}, p1...), p2...))
	p, err := b.GetObject(ctx, &awss3.GetObjectInput{Bucket: bucket, Key: aws.String("mp"), PartNumber: aws.Int32(2)})
	if err != nil {
		t.Fatalf("get part 2: %v", err)
	}
	if got, _ := io.ReadAll(p.Body); string(got) != "tail" {
		t.Errorf("part 2: %q", got)
	}
	if _, err := a.CopyObject(ctx, &awss3.CopyObjectInput{Bucket: bucket, Key: aws.String("mp-copy"), CopySource: aws.String("itest/mp")}); err != nil {
		t.Fatalf("copy: %v", err)
	}
	checkGet(t, b, "itest", "mp-copy", append(append([]byte{}, p1...), p2...))
}

func testSSEC(t *testing.T, ctx context.Context, a, b *awss3.Client) {
	k := bytes.Repeat([]byte{3}, 32)
	sum := md5.Sum(k)
	k64, m64 := base64.StdEncoding.EncodeToString(k), base64.StdEncoding.EncodeToString(sum[:])
	body := bytes.Repeat([]byte("secret"), 300_000)
	if _, err := a.PutObject(ctx, &awss3.PutObjectInput{Bucket: aws.String("itest"), Key: aws.String("enc"), Body: bytes.NewReader(body),
		SSECustomerAlgorithm: aws.String("AES256"), SSECustomerKey: aws.String(k64), SSECustomerKeyMD5: aws.String(m64)}); err != nil {
		t.Fatalf("put sse-c: %v", err)
	}
	g, err := b.GetObject(ctx, &awss3.GetObjectInput{Bucket: aws.String("itest"), Key: aws.String("enc"), Range: aws.String("bytes=70000-1500000"),
		SSECustomerAlgorithm: aws.String("AES256"), SSECustomerKey: aws.String(k64), SSECustomerKeyMD5: aws.String(m64)})
	if err != nil {
		t.Fatalf("get sse-c: %v", err)
	}
	if got, _ := io.ReadAll(g.Body); !bytes.Equal(got, body[70000:1500001]) {
		t.Errorf("sse-c range: %d bytes", len(got))
	}
	if _, err := b.GetObject(ctx, &awss3.GetObjectInput{Bucket: aws.String("itest"), Key: aws.String("enc")}); err == nil {
		t.Errorf("sse-c get without key succeeded")
	}
}

func testMinio(t *testing.T, ctx context.Context, d *Daemon) {
	mc, err := minio.New(d.S3Addr(), &minio.Options{Creds: mcreds.NewStaticV4(s3KeyID, s3Secret, ""), Region: "garage",
		BucketLookup: minio.BucketLookupPath, TrailingHeaders: true})
	if err != nil {
		t.Fatal(err)
	}
	body := bytes.Repeat([]byte("minio"), 400_000)
	if _, err := mc.PutObject(ctx, "itest", "m", bytes.NewReader(body), int64(len(body)),
		minio.PutObjectOptions{Checksum: minio.ChecksumCRC32C}); err != nil {
		t.Fatalf("minio put (streaming, trailer): %v", err)
	}
	o, err := mc.GetObject(ctx, "itest", "m", minio.GetObjectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := io.ReadAll(o); !bytes.Equal(got, body) {
		t.Errorf("minio get: %d bytes", len(got))
	}
	u, err := mc.PresignedGetObject(ctx, "itest", "m", time.Hour, url.Values{})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(u.String())
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("presigned get: %v %v", err, resp)
	}
	resp.Body.Close()
}

func testWebsite(t *testing.T, ctx context.Context, ds []*Daemon) {
	c := sdkClient(ds[0])
	site := aws.String("site")
	if _, err := c.CreateBucket(ctx, &awss3.CreateBucketInput{Bucket: site}); err != nil {
		t.Fatal(err)
	}
	c.PutObject(ctx, &awss3.PutObjectInput{Bucket: site, Key: aws.String("index.html"), Body: strings.NewReader("home"),
		ContentType: aws.String("text/html")})
	if _, err := c.PutBucketWebsite(ctx, &awss3.PutBucketWebsiteInput{Bucket: site, WebsiteConfiguration: &types.WebsiteConfiguration{
		IndexDocument: &types.IndexDocument{Suffix: aws.String("index.html")}}}); err != nil {
		t.Fatalf("put website: %v", err)
	}
	eventually(t, "website served by node 3", func() error {
		req, _ := http.NewRequest("GET", "http://"+ds[2].WebAddr()+"/", nil)
		req.Host = "site.web.garage.localhost"
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 || string(b) != "home" {
			return fmt.Errorf("%s %q", resp.Status, b)
		}
		return nil
	})
	// Virtual-host addressing of the S3 API: every connection goes to
	// node 2, the Host header names the bucket.
	dial := func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, ds[1].S3Addr())
	}
	vh := awss3.New(awss3.Options{Region: "garage", BaseEndpoint: aws.String("http://s3.garage.localhost"),
		Credentials: credentials.NewStaticCredentialsProvider(s3KeyID, s3Secret, ""),
		HTTPClient:  &http.Client{Transport: &http.Transport{DialContext: dial}}})
	g, err := vh.GetObject(ctx, &awss3.GetObjectInput{Bucket: site, Key: aws.String("index.html")})
	if err != nil {
		t.Fatalf("virtual-host get: %v", err)
	}
	if got, _ := io.ReadAll(g.Body); string(got) != "home" {
		t.Errorf("virtual-host get: %q", got)
	}
}

// TestS3ClientsScript runs experiments/s3clients/clients.sh (awscli,
// s3cmd, rclone and boto3) against a node of a real three-node cluster.
// It needs those tools installed and runs only when GARAGE_S3_CLIENTS=1
// (.ci/run sets it).
func TestS3ClientsScript(t *testing.T) {
	if os.Getenv("GARAGE_S3_CLIENTS") != "1" {
		t.Skip("set GARAGE_S3_CLIENTS=1 to run the S3 client tools")
	}
	ds := s3Cluster(t)
	cmd := exec.Command("bash", "../../experiments/s3clients/clients.sh")
	cmd.Env = append(os.Environ(), "S3_ENDPOINT=http://"+ds[1].S3Addr(), "S3_KEY="+s3KeyID, "S3_SECRET="+s3Secret,
		"S3_REGION=garage", "S3_BUCKET=clients")
	out, err := cmd.CombinedOutput()
	t.Logf("%s", out)
	if err != nil {
		t.Fatalf("clients.sh: %v", err)
	}
}
