package s3req

import (
	"net/url"
	"strings"

	"github.com/gogarage/garage/node/s3/s3err"
)

// CopySource is the object an x-amz-copy-source header names.
type CopySource struct {
	Bucket, Key string
}

// ParseCopySource parses x-amz-copy-source: "bucket/key" or
// "/bucket/key", URL-encoded, optionally followed by "?versionId=v".
// Garage keeps no versions: a version id other than "null" is an
// InvalidArgument error, like every malformed value.
func ParseCopySource(v string) (CopySource, error) {
	path, query, _ := strings.Cut(v, "?")
	if err := checkVersionQuery(query); err != nil {
		return CopySource{}, err
	}
	decoded, err := url.PathUnescape(path)
	if err != nil {
		return CopySource{}, s3err.New(s3err.InvalidArgument, "Invalid copy source encoding.").With("ArgumentName", "x-amz-copy-source")
	}
	bucket, key, _ := strings.Cut(strings.TrimPrefix(decoded, "/"), "/")
	if bucket == "" || key == "" {
		return CopySource{}, s3err.New(s3err.InvalidArgument, "Copy Source must mention the source bucket and key: sourcebucket/sourcekey.").With("ArgumentName", "x-amz-copy-source")
	}
	return CopySource{bucket, key}, nil
}

// checkVersionQuery accepts an empty query or versionId=null.
func checkVersionQuery(q string) error {
	if q == "" {
		return nil
	}
	vals, err := url.ParseQuery(q)
	if err == nil && len(vals) == 1 && vals.Get("versionId") == "null" {
		return nil
	}
	return s3err.New(s3err.InvalidArgument, "Invalid version id specified: Garage does not keep object versions.").With("ArgumentName", "x-amz-copy-source")
}
