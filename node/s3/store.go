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
	// Head returns the metadata of an object, or ErrNoSuchKey.
	Head(ctx context.Context, b BucketID, key string) (Object, error)
	// Get returns an object and a reader of all its stored bytes (the
	// caller closes it): one call, for the common GET.
	Get(ctx context.Context, b BucketID, key string) (Object, io.ReadCloser, error)
	// Read returns length stored bytes of the version o from offset start
	// (offsets in the stored data, which is the ciphertext of an
	// encrypted object). ErrChanged if o is no longer the object's
	// version. The caller closes the reader.
	Read(ctx context.Context, o Object, start, length int64) (io.ReadCloser, error)
	// Part returns the bounds, in the stored data, of part n (from 1) of
	// the multipart object o.
	Part(ctx context.Context, o Object, n int) (start, length int64, err error)
	// Put stores an object whose data is read from in.Body to its end,
	// with in.Meta, its size and ETag (the MD5 of the stored bytes) set by
	// the store, and its checksum value completed by in.Sums at EOF. A
	// body that fails leaves nothing visible and its error is returned.
	// ErrQuotaExceeded if the bucket's quotas forbid it.
	Put(ctx context.Context, b BucketID, key string, in PutInput) (Object, error)
	// Copy stores at (b, key) an object sharing the stored data of the
	// visible version of src's key, with meta's headers, user metadata,
	// checksum and encryption (the size and ETag stay the source's).
	Copy(ctx context.Context, src Object, b BucketID, key string, meta ObjectMeta) (Object, error)
	// Delete removes an object and returns the time stamp of its
	// deletion; deleting an absent object succeeds.
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
	// Put stores an object (in.Meta is ignored).
	PutPart(ctx context.Context, u Upload, n int, in PutInput) (Part, error)
	// CompleteUpload makes the object of u from the given parts (in
	// ascending order, a subset of those uploaded): ErrInvalidPart if one
	// is missing or its ETag differs, ErrPartTooSmall if one but the last
	// is under MinPartSize. The ETag is the multipart ETag of the parts.
	CompleteUpload(ctx context.Context, u Upload, parts []CompletedPart) (Object, error)
	// AbortUpload deletes u and its parts.
	AbortUpload(ctx context.Context, u Upload) error
	// ListUploads lists the uploads of b in progress.
	ListUploads(ctx context.Context, b BucketID, q UploadQuery) (UploadPage, error)
	// ListParts lists the parts of u after part number after, at most max.
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
	ErrPartTooSmall    = errors.New("part too small")
	ErrQuotaExceeded   = errors.New("bucket quota exceeded")
	// ErrChanged is a read of an object version that was replaced since
	// it was looked up.
	ErrChanged = errors.New("object changed during the request")
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

// Bucket is a bucket and its configurations.
type Bucket struct {
	ID      BucketID
	Created time.Time
	// Aliases are the global aliases of the bucket.
	Aliases   []string
	Website   *s3xml.WebsiteConfiguration
	CORS      *s3xml.CORSConfiguration
	Lifecycle *s3xml.LifecycleConfiguration
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
	// Size is the size of the stored bytes (the ciphertext of an
	// encrypted object).
	Size int64
	ETag string // quoted
	// Headers are the standard headers kept from the upload
	// (s3req.StoredHeaders), UserMeta the x-amz-meta-* ones.
	Headers  []Header
	UserMeta []s3req.Meta
	// Checksum is the additional checksum, if any (its algorithm alone
	// for an upload whose parts are still coming).
	Checksum checksum.Value
	// PartCount is the number of parts of a multipart object, 0
	// otherwise.
	PartCount int
	// SSE is set for an object encrypted with a customer key.
	SSE *SSEInfo
}

// SSEInfo is how an object is encrypted: the MD5 of the customer key
// (the salt of each part's key is stored with its data).
type SSEInfo struct {
	KeyMD5 [16]byte
}

// Object is an object as stored.
type Object struct {
	Bucket   BucketID
	Key      string
	Modified time.Time
	Meta     ObjectMeta
	// Handle is the store's own reference to the version.
	Handle any
}

// PutInput is the data of an object or part and its metadata.
type PutInput struct {
	Body io.Reader
	Meta ObjectMeta
	// Sums, if set, returns the checksum computed from Body once Body
	// returned io.EOF.
	Sums func() checksum.Value
}

// ListQuery is a listing of objects: keys with Prefix, after StartAfter
// (a key or common prefix: a common prefix skips its whole group), or
// from Token (a page's Next), rolled up at Delimiter: a key whose rest
// after Prefix holds Delimiter counts as the common prefix ending at its
// first occurrence. At most Max entries and common prefixes (Max >= 1).
type ListQuery struct {
	Prefix, Delimiter string
	StartAfter, Token string
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
// order; when Truncated, Next is the Token of the next page and
// NextMarker the last key or common prefix of this one.
type ListPage struct {
	Objects    []ObjectEntry
	Prefixes   []string
	Truncated  bool
	Next       string
	NextMarker string
}

// Upload is a multipart upload in progress.
type Upload struct {
	Bucket    BucketID
	Key, ID   string
	Initiated time.Time
	Meta      ObjectMeta
}

// Part is an uploaded part. Its Checksum is zero if the store keeps none.
type Part struct {
	Number   int
	Modified time.Time
	ETag     string
	Size     int64
	Checksum checksum.Value
}

// CompletedPart is a part named by CompleteMultipartUpload.
type CompletedPart struct {
	Number int
	ETag   string
}

// UploadQuery is a listing of uploads: keys with Prefix after KeyMarker
// (and the uploads of KeyMarker after UploadIDMarker, if set), rolled up
// at Delimiter, at most Max entries and common prefixes.
type UploadQuery struct {
	Prefix, Delimiter         string
	KeyMarker, UploadIDMarker string
	Max                       int
}

// UploadPage is a page of uploads in progress; when Truncated, the next
// page starts after NextKeyMarker and NextUploadIDMarker.
type UploadPage struct {
	Uploads            []Upload
	Prefixes           []string
	Truncated          bool
	NextKeyMarker      string
	NextUploadIDMarker string
}

// PartPage is a page of the parts of an upload.
type PartPage struct {
	Parts     []Part
	Truncated bool
	Next      int
}
