package s3

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/gogarage/garage/node/s3/checksum"
	"github.com/gogarage/garage/node/s3/s3req"
	"github.com/gogarage/garage/node/s3/s3xml"
)

// Store is what the S3 service needs from the object service: access
// keys, buckets and their configurations, objects and multipart uploads.
// Implementations are safe for use by concurrent requests; every method
// may block (it is a blocking point) and honours ctx. Errors wrap the
// sentinels below where one applies; anything else is an internal error.
type Store interface {
	Keys
	Buckets
	Objects
	Uploads
}

// Keys reads access keys.
type Keys interface {
	// Key returns the access key id, or ErrNoSuchAccessKey.
	Key(ctx context.Context, id string) (Key, error)
}

// Buckets reads and changes buckets.
type Buckets interface {
	// BucketByAlias returns the bucket named by a global alias, or
	// ErrNoSuchBucket.
	BucketByAlias(ctx context.Context, name string) (Bucket, error)
	// Bucket returns the bucket id, or ErrNoSuchBucket.
	Bucket(ctx context.Context, id BucketID) (Bucket, error)
	// AllBuckets returns every bucket, in id order (the lifecycle
	// worker's walk).
	AllBuckets(ctx context.Context) ([]Bucket, error)
	// CreateBucket creates a bucket with the global alias name, owned
	// (read, write, owner) by the access key owner. ErrBucketExists if
	// the alias is taken.
	CreateBucket(ctx context.Context, name, owner string) (Bucket, error)
	// DeleteBucket deletes an empty bucket and its aliases
	// (ErrBucketNotEmpty otherwise).
	DeleteBucket(ctx context.Context, id BucketID) error
	// SetBucketConfig replaces one configuration of a bucket; a nil
	// document removes it.
	SetBucketConfig(ctx context.Context, id BucketID, c BucketConfig) error
}

// Objects reads and writes objects.
type Objects interface {
	// Head returns the metadata of an object (and the data of a small
	// one, inline), or ErrNoSuchKey.
	Head(ctx context.Context, b BucketID, key string) (Object, error)
	// Read returns length stored bytes of o from offset start (offsets in
	// the stored data, which is the ciphertext of an encrypted object).
	// The caller closes the reader.
	Read(ctx context.Context, o Object, start, length int64) (io.ReadCloser, error)
	// Put stores an object whose data is read from in.Body to its end;
	// in.Meta is called once the body reached EOF. A body that fails
	// leaves nothing visible and its error is returned.
	Put(ctx context.Context, b BucketID, key string, in PutInput) (Object, error)
	// Copy stores at (b, key) an object sharing the stored data of src,
	// with meta (whose sizes are src's). ErrNoSuchKey if src is gone.
	Copy(ctx context.Context, src Object, b BucketID, key string, meta ObjectMeta) (Object, error)
	// Delete removes an object and returns the time stamp of its
	// deletion; deleting an absent object succeeds (with a zero time if
	// nothing was written).
	Delete(ctx context.Context, b BucketID, key string) (time.Time, error)
	// List returns a page of the objects of b.
	List(ctx context.Context, b BucketID, q ListQuery) (ListPage, error)
}

// Uploads runs multipart uploads.
type Uploads interface {
	// CreateUpload starts a multipart upload of (b, key), whose object
	// will carry meta.
	CreateUpload(ctx context.Context, b BucketID, key string, meta ObjectMeta) (Upload, error)
	// Upload returns an upload in progress, or ErrNoSuchUpload.
	Upload(ctx context.Context, b BucketID, key, id string) (Upload, error)
	// PutPart stores part n of upload u, replacing any earlier one, as
	// Put stores an object.
	PutPart(ctx context.Context, u Upload, n int, in PutInput) (Part, error)
	// CompleteUpload makes the object of u from the parts numbered
	// parts, in that order: it reads those parts (ErrInvalidPart if one
	// is missing), has meta compute the object's metadata from them (an
	// error of meta is returned as is), and stores the object, atomically
	// replacing any earlier one and ending the upload.
	CompleteUpload(ctx context.Context, u Upload, parts []int, meta func([]Part) (ObjectMeta, error)) (Object, error)
	// AbortUpload deletes u and its parts.
	AbortUpload(ctx context.Context, u Upload) error
	// ListUploads lists the uploads of b in progress.
	ListUploads(ctx context.Context, b BucketID, q ListQuery) (UploadPage, error)
	// ListParts lists the parts of u after part number after.
	ListParts(ctx context.Context, u Upload, after, max int) (PartPage, error)
}

// Sentinel errors of a Store.
var (
	ErrNoSuchAccessKey = errors.New("no such access key")
	ErrNoSuchBucket    = errors.New("no such bucket")
	ErrBucketExists    = errors.New("bucket already exists")
	ErrBucketNotEmpty  = errors.New("bucket not empty")
	ErrNoSuchKey       = errors.New("no such key")
	ErrNoSuchUpload    = errors.New("no such upload")
	ErrInvalidPart     = errors.New("invalid part")
	ErrQuotaExceeded   = errors.New("bucket quota exceeded")
	// ErrUnavailable is a quorum that could not be reached.
	ErrUnavailable = errors.New("service unavailable")
)

// MinPartSize is the least size of a part of a multipart upload but the
// last.
const MinPartSize = 5 << 20

// BucketID identifies a bucket (the hex of its uuid).
type BucketID string

// Perm is what an access key may do in a bucket.
type Perm struct {
	Read, Write, Owner bool
}

// Key is an access key: GK… id, secret, its rights and its local bucket
// aliases.
type Key struct {
	ID, Secret, Name  string
	AllowCreateBucket bool
	// Perms holds the key's permissions per bucket.
	Perms map[BucketID]Perm
	// Aliases are the key's local bucket aliases: names only this key
	// sees.
	Aliases map[string]BucketID
}

// Quota bounds a bucket; zero fields mean no bound.
type Quota struct {
	MaxSize, MaxObjects int64
}

// Usage is what a bucket holds, as its counters know it.
type Usage struct {
	Size, Objects int64
}

// Bucket is a bucket and its configurations.
type Bucket struct {
	ID      BucketID
	Created time.Time
	// Aliases are the global aliases of the bucket.
	Aliases   []string
	Website   *s3xml.WebsiteConfiguration
	CORS      *s3xml.CORSConfiguration
	Lifecycle *s3xml.LifecycleConfiguration
	Quota     Quota
	Usage     Usage
}

// BucketConfig names one configuration of a bucket to set (Which) and its
// new value.
type BucketConfig struct {
	Which     ConfigKind
	Website   *s3xml.WebsiteConfiguration
	CORS      *s3xml.CORSConfiguration
	Lifecycle *s3xml.LifecycleConfiguration
}

// ConfigKind is a configuration of a bucket.
type ConfigKind int

// The configurations of a bucket.
const (
	ConfigWebsite ConfigKind = iota + 1
	ConfigCORS
	ConfigLifecycle
)

// Header is one stored response header of an object.
type Header struct {
	Name, Value string
}

// ObjectMeta is what an object stores besides its data.
type ObjectMeta struct {
	// Size is the size of the object's data as clients see it
	// (plaintext); StoredSize that of the bytes stored (ciphertext).
	Size, StoredSize int64
	ETag             string // quoted
	// Headers are the standard headers kept from the upload
	// (s3req.StoredHeaders), UserMeta the x-amz-meta-* ones.
	Headers  []Header
	UserMeta []s3req.Meta
	// Checksum is the additional checksum, if any; for a multipart
	// object it is the composite of the parts' checksums and PartCount
	// is set.
	Checksum  checksum.Value
	PartCount int
	// Parts are the sizes of the parts of a multipart object, in order,
	// for GET and HEAD by partNumber and encrypted ranges.
	Parts []PartSize
	// SSE is set for an object encrypted with a customer key.
	SSE *SSEInfo
}

// PartSize is the number and sizes of one part of a completed object.
type PartSize struct {
	Number           int
	Size, StoredSize int64
	// Salt is the part's encryption salt (SSE-C).
	Salt []byte
}

// SSEInfo is how an object is encrypted: the MD5 of the customer key and
// the salt its data key derives from.
type SSEInfo struct {
	KeyMD5 [16]byte
	Salt   []byte
}

// Object is an object as stored.
type Object struct {
	Bucket   BucketID
	Key      string
	Modified time.Time
	Meta     ObjectMeta
	// Inline holds the data of a small object, read with its metadata;
	// nil otherwise.
	Inline []byte
	// Handle is the store's own reference to the object's data.
	Handle any
}

// PutInput is the data of an object or part and the metadata computed
// from it.
type PutInput struct {
	Body io.Reader
	// Meta returns the metadata once Body returned io.EOF.
	Meta func() ObjectMeta
}

// ListQuery is a listing of objects or uploads: keys with Prefix, from
// Begin on (inclusive; for uploads of the key Begin, only the upload ids
// after UploadIDMarker when it is set), rolled up at Delimiter: a key
// whose rest after Prefix holds Delimiter counts as the common prefix
// ending at its first occurrence. At most Max entries and common prefixes
// (Max >= 1).
type ListQuery struct {
	Prefix, Delimiter string
	Begin             string
	UploadIDMarker    string
	Max               int
}

// ObjectEntry is one object of a listing.
type ObjectEntry struct {
	Key      string
	Modified time.Time
	ETag     string
	Size     int64
	Checksum checksum.Algorithm
}

// ListPage is a page of a listing: entries and common prefixes in key
// order; Truncated when more follow, and then Next is the last key or
// common prefix of the page.
type ListPage struct {
	Objects   []ObjectEntry
	Prefixes  []string
	Truncated bool
	Next      string
}

// Upload is a multipart upload in progress.
type Upload struct {
	Bucket    BucketID
	Key, ID   string
	Initiated time.Time
	Meta      ObjectMeta
}

// PartMeta is what a part stores besides its data.
type PartMeta struct {
	Size, StoredSize int64
	ETag             string
	Checksum         checksum.Value
	Salt             []byte
}

// Part is an uploaded part.
type Part struct {
	Number   int
	Modified time.Time
	Meta     PartMeta
}

// UploadPage is a page of uploads in progress; when Truncated, NextKey
// and NextID are the last upload of the page, or NextKey the last common
// prefix (NextID empty).
type UploadPage struct {
	Uploads   []Upload
	Prefixes  []string
	Truncated bool
	NextKey   string
	NextID    string
}

// PartPage is a page of the parts of an upload.
type PartPage struct {
	Parts     []Part
	Truncated bool
	Next      int
}
