package s3

// Endpoint is one operation of the S3 API, as the router names it.
type Endpoint int

// The endpoints of the S3 API this service implements; NotImplemented
// stands for every other.
const (
	NotImplemented Endpoint = iota
	ListBuckets
	CreateBucket
	DeleteBucket
	HeadBucket
	GetBucketLocation
	GetBucketVersioning
	ListObjects
	ListObjectsV2
	DeleteObjects
	PostObject
	ListMultipartUploads
	GetBucketWebsite
	PutBucketWebsite
	DeleteBucketWebsite
	GetBucketCors
	PutBucketCors
	DeleteBucketCors
	GetBucketLifecycle
	PutBucketLifecycle
	DeleteBucketLifecycle
	Options
	PutObject
	CopyObject
	GetObject
	HeadObject
	DeleteObject
	CreateMultipartUpload
	UploadPart
	UploadPartCopy
	CompleteMultipartUpload
	AbortMultipartUpload
	ListParts
	GetObjectTagging
	endpointCount
)

// Endpoints returns every endpoint but NotImplemented.
func Endpoints() []Endpoint {
	out := make([]Endpoint, 0, endpointCount-1)
	for e := ListBuckets; e < endpointCount; e++ {
		out = append(out, e)
	}
	return out
}

// String returns the S3 name of the operation.
func (e Endpoint) String() string {
	if e < 0 || e >= endpointCount {
		return "Unknown"
	}
	return endpointNames()[e]
}

func endpointNames() [endpointCount]string {
	return [endpointCount]string{"NotImplemented", "ListBuckets", "CreateBucket", "DeleteBucket", "HeadBucket",
		"GetBucketLocation", "GetBucketVersioning", "ListObjects", "ListObjectsV2", "DeleteObjects", "PostObject",
		"ListMultipartUploads", "GetBucketWebsite", "PutBucketWebsite", "DeleteBucketWebsite", "GetBucketCors",
		"PutBucketCors", "DeleteBucketCors", "GetBucketLifecycleConfiguration", "PutBucketLifecycleConfiguration",
		"DeleteBucketLifecycle", "Options", "PutObject", "CopyObject", "GetObject", "HeadObject", "DeleteObject",
		"CreateMultipartUpload", "UploadPart", "UploadPartCopy", "CompleteMultipartUpload",
		"AbortMultipartUpload", "ListParts", "GetObjectTagging"}
}

// access is what an endpoint asks of the signing key in its bucket.
type access int

const (
	accessNone  access = iota // no bucket, or the endpoint checks itself
	accessRead                // read permission
	accessWrite               // write permission
	accessOwner               // owner permission
)

// needs returns the permission the endpoint requires.
func (e Endpoint) needs() access {
	switch e {
	case ListBuckets, CreateBucket, PostObject, Options, NotImplemented:
		return accessNone
	case HeadBucket, GetBucketLocation, GetBucketVersioning, ListObjects, ListObjectsV2,
		ListMultipartUploads, GetObject, HeadObject, ListParts, GetObjectTagging:
		return accessRead
	case DeleteBucket, GetBucketWebsite, GetBucketCors, GetBucketLifecycle, PutBucketWebsite, DeleteBucketWebsite, PutBucketCors, DeleteBucketCors,
		PutBucketLifecycle, DeleteBucketLifecycle:
		return accessOwner
	}
	return accessWrite
}
