package s3xml

import (
	"encoding/xml"

	"github.com/gogarage/garage/node/s3/sigv4"
)

// Owner is the owner of a bucket or an object.
type Owner struct {
	ID          string `xml:"ID"`
	DisplayName string `xml:"DisplayName"`
}

// Bucket is one bucket of ListAllMyBucketsResult.
type Bucket struct {
	Name         string `xml:"Name"`
	CreationDate Time   `xml:"CreationDate"`
	BucketRegion string `xml:"BucketRegion,omitempty"`
}

// ListAllMyBucketsResult is the body of ListBuckets.
type ListAllMyBucketsResult struct {
	XMLName xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ListAllMyBucketsResult"`
	Owner   Owner    `xml:"Owner"`
	Buckets []Bucket `xml:"Buckets>Bucket"`
}

// Object is one object of a listing.
type Object struct {
	Key               string   `xml:"Key"`
	LastModified      Time     `xml:"LastModified"`
	ETag              string   `xml:"ETag"`
	Size              int64    `xml:"Size"`
	StorageClass      string   `xml:"StorageClass"`
	Owner             *Owner   `xml:"Owner,omitempty"`
	ChecksumAlgorithm []string `xml:"ChecksumAlgorithm,omitempty"`
}

// CommonPrefix is one rolled-up prefix of a delimited listing.
type CommonPrefix struct {
	Prefix string `xml:"Prefix"`
}

// ListBucketResult is the body of ListObjects (version 1).
type ListBucketResult struct {
	XMLName        xml.Name       `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ListBucketResult"`
	Name           string         `xml:"Name"`
	Prefix         string         `xml:"Prefix"`
	Marker         string         `xml:"Marker"`
	NextMarker     string         `xml:"NextMarker,omitempty"`
	MaxKeys        int            `xml:"MaxKeys"`
	Delimiter      string         `xml:"Delimiter,omitempty"`
	IsTruncated    bool           `xml:"IsTruncated"`
	EncodingType   string         `xml:"EncodingType,omitempty"`
	Contents       []Object       `xml:"Contents"`
	CommonPrefixes []CommonPrefix `xml:"CommonPrefixes"`
}

// ListBucketResultV2 is the body of ListObjectsV2.
type ListBucketResultV2 struct {
	XMLName               xml.Name       `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ListBucketResult"`
	Name                  string         `xml:"Name"`
	Prefix                string         `xml:"Prefix"`
	MaxKeys               int            `xml:"MaxKeys"`
	KeyCount              int            `xml:"KeyCount"`
	Delimiter             string         `xml:"Delimiter,omitempty"`
	IsTruncated           bool           `xml:"IsTruncated"`
	ContinuationToken     string         `xml:"ContinuationToken,omitempty"`
	NextContinuationToken string         `xml:"NextContinuationToken,omitempty"`
	StartAfter            string         `xml:"StartAfter,omitempty"`
	EncodingType          string         `xml:"EncodingType,omitempty"`
	Contents              []Object       `xml:"Contents"`
	CommonPrefixes        []CommonPrefix `xml:"CommonPrefixes"`
}

// EncodingURL is the only encoding-type S3 defines.
const EncodingURL = "url"

// URLEncode percent-encodes s as listings do under encoding-type=url:
// SigV4's encoding, slashes kept.
func URLEncode(s string) string { return sigv4.URIEncode(s, true) }

// encodeObjects URL-encodes the keys and prefixes of a listing.
func encodeObjects(objs []Object, prefixes []CommonPrefix) {
	for i := range objs {
		objs[i].Key = URLEncode(objs[i].Key)
	}
	for i := range prefixes {
		prefixes[i].Prefix = URLEncode(prefixes[i].Prefix)
	}
}

// URLEncode applies encoding-type=url to the listing: keys, prefixes,
// markers and delimiter are percent-encoded and EncodingType is set.
func (l *ListBucketResult) URLEncode() {
	encodeObjects(l.Contents, l.CommonPrefixes)
	l.Prefix, l.Marker, l.NextMarker = URLEncode(l.Prefix), URLEncode(l.Marker), URLEncode(l.NextMarker)
	l.Delimiter, l.EncodingType = URLEncode(l.Delimiter), EncodingURL
}

// URLEncode applies encoding-type=url to the listing: keys, prefixes,
// StartAfter and delimiter are percent-encoded and EncodingType is set.
// Continuation tokens are opaque and left alone.
func (l *ListBucketResultV2) URLEncode() {
	encodeObjects(l.Contents, l.CommonPrefixes)
	l.Prefix, l.StartAfter = URLEncode(l.Prefix), URLEncode(l.StartAfter)
	l.Delimiter, l.EncodingType = URLEncode(l.Delimiter), EncodingURL
}

// Upload is one in-progress multipart upload of a listing.
type Upload struct {
	Key          string `xml:"Key"`
	UploadID     string `xml:"UploadId"`
	Initiator    Owner  `xml:"Initiator"`
	Owner        Owner  `xml:"Owner"`
	StorageClass string `xml:"StorageClass"`
	Initiated    Time   `xml:"Initiated"`
}

// ListMultipartUploadsResult is the body of ListMultipartUploads.
type ListMultipartUploadsResult struct {
	XMLName            xml.Name       `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ListMultipartUploadsResult"`
	Bucket             string         `xml:"Bucket"`
	KeyMarker          string         `xml:"KeyMarker"`
	UploadIDMarker     string         `xml:"UploadIdMarker"`
	NextKeyMarker      string         `xml:"NextKeyMarker,omitempty"`
	NextUploadIDMarker string         `xml:"NextUploadIdMarker,omitempty"`
	Prefix             string         `xml:"Prefix"`
	Delimiter          string         `xml:"Delimiter,omitempty"`
	MaxUploads         int            `xml:"MaxUploads"`
	IsTruncated        bool           `xml:"IsTruncated"`
	EncodingType       string         `xml:"EncodingType,omitempty"`
	Uploads            []Upload       `xml:"Upload"`
	CommonPrefixes     []CommonPrefix `xml:"CommonPrefixes"`
}

// URLEncode applies encoding-type=url to the listing.
func (l *ListMultipartUploadsResult) URLEncode() {
	for i := range l.Uploads {
		l.Uploads[i].Key = URLEncode(l.Uploads[i].Key)
	}
	encodeObjects(nil, l.CommonPrefixes)
	l.KeyMarker, l.NextKeyMarker = URLEncode(l.KeyMarker), URLEncode(l.NextKeyMarker)
	l.Prefix, l.Delimiter, l.EncodingType = URLEncode(l.Prefix), URLEncode(l.Delimiter), EncodingURL
}

// Checksums are the additional checksums of an object or part, base64.
type Checksums struct {
	ChecksumCRC32     string `xml:"ChecksumCRC32,omitempty"`
	ChecksumCRC32C    string `xml:"ChecksumCRC32C,omitempty"`
	ChecksumCRC64NVME string `xml:"ChecksumCRC64NVME,omitempty"`
	ChecksumSHA1      string `xml:"ChecksumSHA1,omitempty"`
	ChecksumSHA256    string `xml:"ChecksumSHA256,omitempty"`
}

// Part is one uploaded part of ListPartsResult.
type Part struct {
	PartNumber   int    `xml:"PartNumber"`
	LastModified Time   `xml:"LastModified"`
	ETag         string `xml:"ETag"`
	Size         int64  `xml:"Size"`
	Checksums
}

// ListPartsResult is the body of ListParts.
type ListPartsResult struct {
	XMLName              xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ListPartsResult"`
	Bucket               string   `xml:"Bucket"`
	Key                  string   `xml:"Key"`
	UploadID             string   `xml:"UploadId"`
	PartNumberMarker     int      `xml:"PartNumberMarker"`
	NextPartNumberMarker int      `xml:"NextPartNumberMarker,omitempty"`
	MaxParts             int      `xml:"MaxParts"`
	IsTruncated          bool     `xml:"IsTruncated"`
	Parts                []Part   `xml:"Part"`
	Initiator            Owner    `xml:"Initiator"`
	Owner                Owner    `xml:"Owner"`
	StorageClass         string   `xml:"StorageClass"`
	ChecksumAlgorithm    string   `xml:"ChecksumAlgorithm,omitempty"`
}
