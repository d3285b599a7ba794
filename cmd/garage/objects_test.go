package main

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gogarage/garage/experiments/s3client"
)

// mustFail runs a CLI command that must fail with exit status code and
// a message holding want on stderr.
func (p *proc) mustFail(code int, want string, args ...string) {
	p.t.Helper()
	r := p.run(args...)
	if r.code != code || !strings.Contains(r.stderr, want) {
		p.t.Errorf("garage %v on %s: exit %d, stderr %q; want %d and %q", args, p.name, r.code, r.stderr, code, want)
	}
}

// field returns the value of "Name:  value" in a rendered info.
func field(out, name string) string {
	for _, l := range strings.Split(out, "\n") {
		if v, ok := strings.CutPrefix(l, name+":"); ok {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// testBucketsThroughCLI creates a key and a bucket through one node,
// grants the key access and reads it all back through the others; the
// operator's mistakes fail with a message naming them and change nothing.
func testBucketsThroughCLI(t *testing.T, ps []*proc) s3Key {
	n1, n2, n3 := ps[0], ps[1], ps[2]
	out := n1.must("key", "create", "app")
	keyID, secret := field(out, "Key ID"), field(out, "Secret key")
	if !strings.HasPrefix(keyID, "GK") || len(secret) != 64 {
		t.Fatalf("key create does not print the key and its secret:\n%s", out)
	}
	if out := n2.must("bucket", "create", "photos"); !strings.HasPrefix(out, "Bucket photos created, id ") {
		t.Errorf("bucket create: %q", out)
	}
	n3.must("bucket", "allow", "--read", "--write", "photos", "--key", "app")
	eventually(t, "every node shows the key's permission", func() error {
		for _, p := range ps {
			out := p.must("bucket", "info", "photos")
			if !strings.Contains(out, "RW-          "+keyID+"  app") {
				return fmt.Errorf("%s:\n%s", p.name, out)
			}
		}
		return nil
	})
	if out := n2.must("key", "info", keyID[:6]); field(out, "Secret key") != "(redacted: --show-secret prints it)" ||
		!strings.Contains(out, "RW-  ") {
		t.Errorf("key info by id prefix:\n%s", out)
	}
	if out := n1.must("key", "info", "app", "--show-secret"); field(out, "Secret key") != secret {
		t.Errorf("key info --show-secret:\n%s", out)
	}
	testBadInput(t, n1, keyID)
	k := s3Key{id: keyID, secret: secret}
	k.put(t, n1, "photos", "before", "written before the kill")
	k.want(t, n2, "photos", "before", "written before the kill")
	return k
}

// testBadInput makes the operator's mistakes: each fails, exit 1 (2 for
// a command line that does not parse), names the problem, and nothing
// changes.
func testBadInput(t *testing.T, p *proc, keyID string) {
	n1 := p
	n1.must("key", "import", "GK"+strings.Repeat("0", 24), strings.Repeat("ab", 32), "-n", "other")
	before := n1.must("bucket", "list") + n1.must("key", "list")
	n1.mustFail(1, `bucket "nope": no such bucket`, "bucket", "info", "nope")
	n1.mustFail(1, `access key "GK" is ambiguous`, "key", "info", "GK")
	n1.mustFail(1, keyID, "key", "info", "GK") // the candidates are listed
	n1.mustFail(1, `bucket name "Bad_Name": invalid name`, "bucket", "create", "Bad_Name")
	n1.mustFail(1, "bucket name already in use", "bucket", "create", "photos")
	n1.mustFail(1, "no such access key", "bucket", "allow", "--read", "photos", "--key", "nobody")
	n1.mustFail(2, "name at least one permission", "bucket", "allow", "photos", "--key", "app")
	n1.mustFail(1, "add --yes to confirm; nothing was deleted", "bucket", "delete", "photos")
	n1.mustFail(1, "add --yes to confirm; nothing was deleted", "key", "delete", "app")
	n1.mustFail(1, "no known node id starts with", "layout", "assign", "-z", "dc9", "-c", "1G", "ffffffff")
	n1.mustFail(1, "want an integer of at least 1", "worker", "set", "resync-worker-count", "0")
	n1.mustFail(1, "want 64 hex digits", "block", "info", "abcd")
	n1.mustFail(2, `unknown repair "everything"`, "repair", "everything")
	if after := n1.must("bucket", "list") + n1.must("key", "list"); after != before {
		t.Errorf("a refused command changed something:\n%s\nthen\n%s", before, after)
	}
	n1.must("key", "delete", "other", "--yes")
}

// testKillWithBuckets kills the third node: status lists it failed,
// buckets, keys, objects (over S3, with the key of testBucketsThroughCLI)
// and the debug table still take writes and reads through the two
// others, and the node, restarted, catches up on what it missed and
// serves every object.
func testKillWithBuckets(t *testing.T, ps []*proc, key s3Key) {
	keyID := key.id
	n1, n2, n3 := ps[0], ps[1], ps[2]
	n3.kill()
	eventually(t, "status lists the killed node as failed", func() error {
		_, failed := statusSections(n1.must("status"))
		if len(failed) != 1 || failed[0] != n3.id[:16] {
			return fmt.Errorf("failed nodes %v", failed)
		}
		return nil
	})
	n1.must("bucket", "create", "during-outage")
	n2.must("bucket", "allow", "--read", "during-outage", "--key", keyID)
	n2.must("key", "create", "late")
	n1.must("debug", "put", "outage", "still-writable")
	key.put(t, n1, "photos", "during", "written while n3 was down")
	key.want(t, n2, "photos", "before", "written before the kill")
	key.want(t, n2, "photos", "during", "written while n3 was down")
	if out := n2.must("bucket", "info", "during-outage"); !strings.Contains(out, "R--          "+keyID) {
		t.Errorf("bucket info through n2 during the outage:\n%s", out)
	}
	if got := strings.TrimSpace(n2.must("debug", "get", "outage")); got != "still-writable" {
		t.Errorf("debug get during the outage: %q", got)
	}
	n3.start()
	waitHealthy(t, n1, ps...)
	eventually(t, "the restarted node catches up", func() error {
		buckets, keys := n3.must("bucket", "list"), n3.must("key", "list")
		if !strings.Contains(buckets, "during-outage") || !strings.Contains(keys, "late") {
			return fmt.Errorf("n3 lists\n%s%s", buckets, keys)
		}
		return nil
	})
	if got := strings.TrimSpace(n3.must("debug", "get", "outage")); got != "still-writable" {
		t.Errorf("debug get through the restarted node: %q", got)
	}
	key.want(t, n3, "photos", "before", "written before the kill")
	key.want(t, n3, "photos", "during", "written while n3 was down")
}

// s3Key is an access key, for S3 requests to the test's nodes.
type s3Key struct{ id, secret string }

// client returns an S3 client of node p's S3 API.
func (k s3Key) client(p *proc) *s3client.Client {
	return s3client.New(http.DefaultClient, "http://"+p.s3addr, k.id, k.secret, "garage", time.Now)
}

// put writes body as object key of bucket through node p's S3 API.
func (k s3Key) put(t *testing.T, p *proc, bucket, key, body string) {
	t.Helper()
	if _, err := k.client(p).PutObject(context.Background(), bucket, key, []byte(body), nil); err != nil {
		t.Fatalf("put %s/%s through %s: %v", bucket, key, p.name, err)
	}
}

// want reads object key of bucket through node p's S3 API and checks
// its body.
func (k s3Key) want(t *testing.T, p *proc, bucket, key, body string) {
	t.Helper()
	o, err := k.client(p).GetObject(context.Background(), bucket, key)
	if err != nil || !o.Found || string(o.Body) != body {
		t.Errorf("get %s/%s through %s: %q (found %v), %v; want %q", bucket, key, p.name, o.Body, o.Found, err, body)
	}
}
