package s3

import (
	"bytes"
	"errors"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/gogarage/garage/node/s3/checksum"
	"github.com/gogarage/garage/node/s3/s3err"
	"github.com/gogarage/garage/node/s3/s3req"
	"github.com/gogarage/garage/node/s3/s3xml"
)

// listBuckets lists the buckets the key has a permission on, by the names
// the key sees: its local aliases and the global aliases.
func (c *call) listBuckets() (*Response, error) {
	out := s3xml.ListAllMyBucketsResult{Owner: c.owner()}
	seen := map[string]bool{}
	add := func(name string, b Bucket) {
		if !seen[name] {
			seen[name] = true
			out.Buckets = append(out.Buckets, s3xml.Bucket{Name: name, CreationDate: s3xml.Time(b.Created)})
		}
	}
	for _, name := range slices.Sorted(maps.Keys(c.key.Aliases)) {
		if b, err := c.s.store.Bucket(c.ctx, c.key.Aliases[name]); err == nil {
			add(name, b)
		}
	}
	for _, id := range slices.Sorted(maps.Keys(c.key.Perms)) {
		if p := c.key.Perms[id]; !p.Read && !p.Write && !p.Owner {
			continue
		}
		b, err := c.s.store.Bucket(c.ctx, id)
		if errors.Is(err, ErrNoSuchBucket) {
			continue
		}
		if err != nil {
			return nil, err
		}
		for _, name := range b.Aliases {
			add(name, b)
		}
	}
	slices.SortFunc(out.Buckets, func(a, b s3xml.Bucket) int { return strings.Compare(a.Name, b.Name) })
	return xmlResponse(out), nil
}

// owner is the Owner element of the signing key.
func (c *call) owner() s3xml.Owner {
	return s3xml.Owner{ID: c.key.ID, DisplayName: c.key.Name}
}

// createBucket creates a bucket, or succeeds if the key already owns the
// bucket of that name (S3 in us-east-1 answers 200 then too).
func (c *call) createBucket() (*Response, error) {
	name := c.r.Bucket
	if err := s3req.ValidateBucketName(name); err != nil {
		return nil, err
	}
	if err := c.checkLocation(); err != nil {
		return nil, err
	}
	if b, err := c.resolve(name); err == nil {
		if c.key.Perms[b.ID].Owner {
			return created("/" + name), nil
		}
		return nil, s3err.New(s3err.BucketAlreadyExists, "")
	} else if !s3err.Is(err, s3err.NoSuchBucket) {
		return nil, err
	}
	if !c.key.AllowCreateBucket {
		return nil, s3err.New(s3err.AccessDenied, "Access Denied: key %s may not create buckets", c.key.ID)
	}
	if _, err := c.s.store.CreateBucket(c.ctx, name, c.key.ID); err != nil {
		return nil, c.errf(err)
	}
	return created("/" + name), nil
}

// created is the answer of CreateBucket.
func created(location string) *Response {
	r := newResponse(200)
	r.set("Location", location)
	r.set("Content-Length", "0")
	return r
}

// checkLocation reads CreateBucket's optional body: a location
// constraint must name the service's region.
func (c *call) checkLocation() error {
	b, err := c.readDocument()
	if err != nil || len(b) == 0 {
		return err
	}
	cfg, err := s3xml.ParseCreateBucketConfiguration(bytes.NewReader(b))
	if err != nil {
		return err
	}
	if cfg.LocationConstraint != "" && cfg.LocationConstraint != c.s.cfg.Region {
		return s3err.New(s3err.InvalidLocationConstraint, "The specified location constraint %q is not valid; this server's region is %q.",
			cfg.LocationConstraint, c.s.cfg.Region)
	}
	return nil
}

// readDocument reads a request document, at most s3xml.MaxBody bytes, to
// its end: the signature and checksum checks of the body run at EOF.
func (c *call) readDocument() ([]byte, error) {
	exp, err := checksum.ParseRequest(c.r.Get, c.auth.Trailers)
	if err != nil {
		return nil, err
	}
	body := checksum.NewReader(c.body, exp, c.body.TrailerValue)
	b, err := io.ReadAll(io.LimitReader(body, s3xml.MaxBody+1))
	if err != nil {
		return nil, err
	}
	if len(b) > s3xml.MaxBody {
		return nil, s3err.New(s3err.MaxMessageLengthExceeded, "")
	}
	return b, nil
}

func (c *call) deleteBucket() (*Response, error) {
	if err := c.s.store.DeleteBucket(c.ctx, c.bucket.ID); err != nil {
		return nil, c.errf(err)
	}
	return noContent(), nil
}

// noContent is an empty 204 answer.
func noContent() *Response { return newResponse(204) }

// ok is an empty 200 answer.
func ok() *Response {
	r := newResponse(200)
	r.set("Content-Length", "0")
	return r
}

func (c *call) headBucket() (*Response, error) {
	r := ok()
	r.set("X-Amz-Bucket-Region", c.s.cfg.Region)
	return r, nil
}

func (c *call) getBucketLocation() (*Response, error) {
	return xmlResponse(s3xml.LocationConstraint{Region: c.s.cfg.Region}), nil
}

// getBucketVersioning answers that versioning was never enabled.
func (c *call) getBucketVersioning() (*Response, error) {
	return xmlResponse(s3xml.VersioningConfiguration{}), nil
}
