package s3

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/gogarage/garage/node/s3/s3err"
	"github.com/gogarage/garage/node/s3/sigv4"
)

// secrets returns the secret lookup of a request: it reads the key from
// the store and keeps it as the request's signing key.
func (c *call) secrets() sigv4.SecretFunc {
	return func(id string) (string, error) {
		k, err := c.s.store.Key(c.ctx, id)
		if errors.Is(err, ErrNoSuchAccessKey) {
			return "", fmt.Errorf("%w: %w", sigv4.ErrUnknownKey, err)
		}
		if err != nil {
			return "", toS3(err)
		}
		c.key = &k
		return k.Secret, nil
	}
}

// verifier returns the SigV4 verifier of the service.
func (c *call) verifier() sigv4.Verifier {
	return sigv4.Verifier{Region: c.s.cfg.Region, MaxSkew: c.s.cfg.MaxSkew, Secret: c.secrets(), Keys: &c.s.keys}
}

// authenticate checks the request's signature and prepares its body
// decoder. Anonymous requests are refused: the S3 API serves signed
// requests only (anonymous reads go through the website server).
func (c *call) authenticate() error {
	res, err := c.verifier().Verify(c.r.Request, c.now)
	if err != nil {
		return err
	}
	c.auth = res
	opt := sigv4.ChunkOptions{DecodedLength: -1}
	if v := c.r.Get(sigv4.HeaderDecodedContentLength); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return s3err.New(s3err.InvalidArgument, "invalid x-amz-decoded-content-length")
		}
		opt.DecodedLength = n
	}
	c.body = sigv4.NewBody(c.r.Body, res, opt)
	return nil
}

// authorize resolves the addressed bucket and checks that the signing
// key holds the permission the endpoint needs there.
func (c *call) authorize() error {
	if c.r.Bucket == "" || c.ep == CreateBucket {
		return nil
	}
	b, err := c.resolve(c.r.Bucket)
	if err != nil {
		return err
	}
	c.bucket = &b
	if !c.key.allows(b.ID, c.ep.needs()) {
		return s3err.New(s3err.AccessDenied, "Access Denied: key %s may not %s in bucket %s", c.key.ID, c.ep, c.r.Bucket)
	}
	return nil
}

// resolve finds the bucket a name denotes for the signing key: the key's
// local alias first, then the global alias.
func (c *call) resolve(name string) (Bucket, error) {
	if c.key != nil {
		if id, ok := c.key.Aliases[name]; ok {
			return c.s.store.Bucket(c.ctx, id)
		}
	}
	b, err := c.s.store.BucketByAlias(c.ctx, name)
	if errors.Is(err, ErrNoSuchBucket) {
		return Bucket{}, s3err.New(s3err.NoSuchBucket, "").WithResource("/" + name)
	}
	return b, err
}

// allows reports whether k holds permission a in bucket b.
func (k *Key) allows(b BucketID, a access) bool {
	if k == nil {
		return false
	}
	p := k.Perms[b]
	switch a {
	case accessRead:
		return p.Read
	case accessWrite:
		return p.Write
	case accessOwner:
		return p.Owner
	}
	return true
}
