package s3client

import (
	"context"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// HeaderTimestamp is the answer header carrying a write's timestamp
// (node/s3.HeaderTimestamp).
const HeaderTimestamp = "X-Garage-Timestamp"

// Written is what a write returned: the ETag and the timestamp it was
// given (0 if not known).
type Written struct {
	ETag string
	TS   uint64
}

func written(r Reply) Written {
	ts, _ := strconv.ParseUint(r.Header.Get(HeaderTimestamp), 10, 64)
	return Written{ETag: r.Header.Get("Etag"), TS: ts}
}

// ListBuckets lists the names of the buckets the key may see.
func (cl *Client) ListBuckets(ctx context.Context) ([]string, error) {
	r, err := cl.Do(ctx, Call{Method: "GET"})
	if err != nil {
		return nil, err
	}
	var res struct {
		Buckets []struct {
			Name string `xml:"Name"`
		} `xml:"Buckets>Bucket"`
	}
	if err := xml.Unmarshal(r.Body, &res); err != nil {
		return nil, fmt.Errorf("decode bucket list: %w", err)
	}
	names := make([]string, len(res.Buckets))
	for i, b := range res.Buckets {
		names[i] = b.Name
	}
	return names, nil
}

// CreateBucket creates a bucket.
func (cl *Client) CreateBucket(ctx context.Context, bucket string) error {
	_, err := cl.Do(ctx, Call{Method: "PUT", Bucket: bucket})
	return err
}

// PutObject writes an object with user metadata meta.
func (cl *Client) PutObject(ctx context.Context, bucket, key string, body []byte, meta map[string]string) (Written, error) {
	h := http.Header{}
	for k, v := range meta {
		h.Set("X-Amz-Meta-"+k, v)
	}
	r, err := cl.Do(ctx, Call{Method: "PUT", Bucket: bucket, Key: key, Header: h, Body: body})
	return written(r), err
}

// Object is an object read.
type Object struct {
	Found bool
	ETag  string
	Meta  http.Header
	Body  []byte
}

// GetObject reads an object; a missing one is not an error (Found false).
func (cl *Client) GetObject(ctx context.Context, bucket, key string) (Object, error) {
	return cl.read(ctx, "GET", bucket, key)
}

// HeadObject reads an object's metadata.
func (cl *Client) HeadObject(ctx context.Context, bucket, key string) (Object, error) {
	return cl.read(ctx, "HEAD", bucket, key)
}

func (cl *Client) read(ctx context.Context, method, bucket, key string) (Object, error) {
	r, err := cl.Do(ctx, Call{Method: method, Bucket: bucket, Key: key})
	if IsCode(err, "NoSuchKey") {
		return Object{}, nil
	}
	if err != nil {
		return Object{}, err
	}
	return Object{Found: true, ETag: r.Header.Get("Etag"), Meta: r.Header, Body: r.Body}, nil
}

// DeleteObject deletes an object.
func (cl *Client) DeleteObject(ctx context.Context, bucket, key string) (Written, error) {
	r, err := cl.Do(ctx, Call{Method: "DELETE", Bucket: bucket, Key: key})
	return written(r), err
}

// Page is a page of ListObjectsV2.
type Page struct {
	Keys     []string
	Prefixes []string
	Next     string // continuation token, "" on the last page
}

// List lists the keys under prefix, from the continuation token (""
// for the first page), at most max.
func (cl *Client) List(ctx context.Context, bucket, prefix, delimiter, token string, max int) (Page, error) {
	q := url.Values{"list-type": {"2"}, "prefix": {prefix}, "max-keys": {strconv.Itoa(max)}}
	if token != "" {
		q.Set("continuation-token", token)
	}
	if delimiter != "" {
		q.Set("delimiter", delimiter)
	}
	r, err := cl.Do(ctx, Call{Method: "GET", Bucket: bucket, Query: q})
	if err != nil {
		return Page{}, err
	}
	var res struct {
		Contents []struct {
			Key string `xml:"Key"`
		} `xml:"Contents"`
		CommonPrefixes []struct {
			Prefix string `xml:"Prefix"`
		} `xml:"CommonPrefixes"`
		IsTruncated           bool   `xml:"IsTruncated"`
		NextContinuationToken string `xml:"NextContinuationToken"`
	}
	if err := xml.Unmarshal(r.Body, &res); err != nil {
		return Page{}, fmt.Errorf("decode listing: %w", err)
	}
	var p Page
	for _, c := range res.Contents {
		p.Keys = append(p.Keys, c.Key)
	}
	for _, c := range res.CommonPrefixes {
		p.Prefixes = append(p.Prefixes, c.Prefix)
	}
	if res.IsTruncated {
		p.Next = res.NextContinuationToken
	}
	return p, nil
}

// PutMultipart writes an object as a multipart upload of the given parts
// with user metadata meta.
func (cl *Client) PutMultipart(ctx context.Context, bucket, key string, parts [][]byte, meta map[string]string) (Written, error) {
	h := http.Header{}
	for k, v := range meta {
		h.Set("X-Amz-Meta-"+k, v)
	}
	r, err := cl.Do(ctx, Call{Method: "POST", Bucket: bucket, Key: key, Query: url.Values{"uploads": {""}}, Header: h})
	if err != nil {
		return Written{}, err
	}
	var init struct {
		UploadID string `xml:"UploadId"`
	}
	if err := xml.Unmarshal(r.Body, &init); err != nil {
		return Written{}, fmt.Errorf("decode upload: %w", err)
	}
	var doc strings.Builder
	doc.WriteString("<CompleteMultipartUpload>")
	for i, p := range parts {
		q := url.Values{"uploadId": {init.UploadID}, "partNumber": {strconv.Itoa(i + 1)}}
		pr, err := cl.Do(ctx, Call{Method: "PUT", Bucket: bucket, Key: key, Query: q, Body: p})
		if err != nil {
			return Written{}, fmt.Errorf("part %d: %w", i+1, err)
		}
		fmt.Fprintf(&doc, "<Part><PartNumber>%d</PartNumber><ETag>%s</ETag></Part>", i+1, pr.Header.Get("Etag"))
	}
	doc.WriteString("</CompleteMultipartUpload>")
	cr, err := cl.Do(ctx, Call{Method: "POST", Bucket: bucket, Key: key, Query: url.Values{"uploadId": {init.UploadID}},
		Body: []byte(doc.String())})
	return written(cr), err
}
