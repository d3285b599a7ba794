package daemon

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/gogarage/garage/node/garage"
	"github.com/gogarage/garage/node/object"
)

// DefaultKeyName is the name of the access key that `garage server
// --single-node --default-bucket NAME` creates once and reuses.
const DefaultKeyName = "default"

// Credentials are what an S3 client needs: an access key, its secret,
// the region and the endpoint.
type Credentials struct {
	KeyID, Secret string
	Region        string
	Endpoint      string // http://host:port of the S3 API ("" if it has none)
}

// Exports renders the credentials as the shell lines awscli and the AWS
// SDKs read.
func (c Credentials) Exports() []string {
	lines := []string{"export AWS_ACCESS_KEY_ID=" + c.KeyID, "export AWS_SECRET_ACCESS_KEY=" + c.Secret,
		"export AWS_DEFAULT_REGION=" + c.Region}
	if c.Endpoint != "" {
		lines = append(lines, "export AWS_ENDPOINT_URL="+c.Endpoint)
	}
	return lines
}

// EnsureDefaultBucket makes sure the access key DefaultKeyName and bucket
// exist (creating them the first time only) and that the key may read,
// write and own the bucket, and returns the key's credentials.
func (d *Daemon) EnsureDefaultBucket(ctx context.Context, bucket string) (Credentials, error) {
	k, err := d.g.KeyInfo(garage.KeyRequest{Key: DefaultKeyName, ShowSecret: true})
	if errors.Is(err, object.ErrNoSuchAccessKey) {
		if k, err = d.g.KeyCreate(ctx, DefaultKeyName); err == nil {
			d.log.Info("single node: access key created", "key", k.ID, "name", DefaultKeyName)
		}
	}
	if err != nil {
		return Credentials{}, fmt.Errorf("access key %q: %w", DefaultKeyName, err)
	}
	info, err := d.g.BucketInfo(ctx, bucket)
	if errors.Is(err, object.ErrNoSuchBucket) {
		if _, err = d.g.BucketCreate(ctx, bucket); err == nil {
			d.log.Info("single node: bucket created", "bucket", bucket)
			info, err = d.g.BucketInfo(ctx, bucket)
		}
	}
	if err != nil {
		return Credentials{}, fmt.Errorf("bucket %q: %w", bucket, err)
	}
	if !allowed(info, k.ID) {
		perm := garage.BucketPermRequest{Bucket: info.ID, Key: k.ID, Read: true, Write: true, Owner: true}
		if err := d.g.BucketPermission(ctx, perm, true); err != nil {
			return Credentials{}, fmt.Errorf("grant key %s on bucket %q: %w", k.ID, bucket, err)
		}
	}
	return Credentials{KeyID: k.ID, Secret: k.Secret, Region: d.cfg.S3API.S3Region,
		Endpoint: EndpointURL(d.cfg.S3API.APIBindAddr)}, nil
}

// allowed reports whether key may read, write and own bucket b.
func allowed(b garage.BucketInfoReply, key string) bool {
	for _, k := range b.Keys {
		if k.Key == key {
			return k.Read && k.Write && k.Owner
		}
	}
	return false
}

// EndpointURL returns the http:// URL a client on this host reaches an
// HTTP listener bound to addr at: a wildcard host becomes loopback. It
// returns "" for none or a Unix socket.
func EndpointURL(addr string) string {
	if addr == "" || strings.HasPrefix(addr, "/") {
		return ""
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return ""
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port)
}
