package s3test

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gogarage/garage/node/s3"
	"github.com/gogarage/garage/node/s3/checksum"
)

// Mem is an in-memory s3.Store. Its zero value is not usable: see NewMem.
type Mem struct {
	now func() time.Time

	mu      sync.Mutex
	keys    map[string]s3.Key
	buckets map[s3.BucketID]*s3.Bucket
	aliases map[string]s3.BucketID
	objects map[s3.BucketID]map[string]s3.Object
	uploads map[string]*memUpload
	quotas  map[s3.BucketID]Quota
	seq     int
}

// Quota bounds a bucket of a Mem; zero fields mean no bound.
type Quota struct {
	MaxSize, MaxObjects int64
}

// memData is an object version's stored bytes and its parts' sizes.
type memData struct {
	data  []byte
	parts []int64
}

type memUpload struct {
	u     s3.Upload
	parts map[int]memPart
}

type memPart struct {
	p    s3.Part
	data []byte
}

// MinPartSize is the least size of a part but the last, as S3's.
const MinPartSize = s3.MinPartSize

var _ s3.Store = (*Mem)(nil)

// NewMem returns an empty store whose times come from now.
func NewMem(now func() time.Time) *Mem {
	return &Mem{now: now, keys: map[string]s3.Key{}, buckets: map[s3.BucketID]*s3.Bucket{},
		aliases: map[string]s3.BucketID{}, objects: map[s3.BucketID]map[string]s3.Object{},
		uploads: map[string]*memUpload{}, quotas: map[s3.BucketID]Quota{}}
}

// AddKey creates or replaces an access key.
func (m *Mem) AddKey(k s3.Key) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if k.Perms == nil {
		k.Perms = map[s3.BucketID]s3.Perm{}
	}
	if k.Aliases == nil {
		k.Aliases = map[string]s3.BucketID{}
	}
	m.keys[k.ID] = k
}

// Allow sets the permissions of key id in the bucket of global alias
// name.
func (m *Mem) Allow(id, name string, p s3.Perm) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.keys[id].Perms[m.aliases[name]] = p
}

// SetQuota sets the quotas of the bucket of global alias name.
func (m *Mem) SetQuota(name string, q Quota) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.quotas[m.aliases[name]] = q
}

// Key returns access key id.
func (m *Mem) Key(_ context.Context, id string) (s3.Key, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	k, ok := m.keys[id]
	if !ok {
		return k, fmt.Errorf("key %s: %w", id, s3.ErrNoSuchAccessKey)
	}
	k.Perms, k.Aliases = maps.Clone(k.Perms), maps.Clone(k.Aliases)
	return k, nil
}

// BucketByAlias returns the bucket of a global alias.
func (m *Mem) BucketByAlias(ctx context.Context, name string) (s3.Bucket, error) {
	m.mu.Lock()
	id, ok := m.aliases[name]
	m.mu.Unlock()
	if !ok {
		return s3.Bucket{}, fmt.Errorf("bucket %s: %w", name, s3.ErrNoSuchBucket)
	}
	return m.Bucket(ctx, id)
}

// Bucket returns bucket id with its usage.
func (m *Mem) Bucket(_ context.Context, id s3.BucketID) (s3.Bucket, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	b, ok := m.buckets[id]
	if !ok {
		return s3.Bucket{}, fmt.Errorf("bucket %s: %w", id, s3.ErrNoSuchBucket)
	}
	return *b, nil
}

// AllBuckets returns every bucket, in id order.
func (m *Mem) AllBuckets(ctx context.Context) ([]s3.Bucket, error) {
	m.mu.Lock()
	ids := slices.Sorted(maps.Keys(m.buckets))
	m.mu.Unlock()
	var out []s3.Bucket
	for _, id := range ids {
		if b, err := m.Bucket(ctx, id); err == nil {
			out = append(out, b)
		}
	}
	return out, nil
}

// CreateBucket creates a bucket owned by owner.
func (m *Mem) CreateBucket(_ context.Context, name, owner string) (s3.Bucket, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.aliases[name]; ok {
		return s3.Bucket{}, fmt.Errorf("create %s: %w", name, s3.ErrBucketExists)
	}
	m.seq++
	id := s3.BucketID(fmt.Sprintf("%064x", m.seq))
	b := &s3.Bucket{ID: id, Created: m.now(), Aliases: []string{name}}
	m.buckets[id], m.aliases[name], m.objects[id] = b, id, map[string]s3.Object{}
	if k, ok := m.keys[owner]; ok {
		k.Perms[id] = s3.Perm{Read: true, Write: true, Owner: true}
	}
	return *b, nil
}

// DeleteBucket deletes an empty bucket.
func (m *Mem) DeleteBucket(_ context.Context, id s3.BucketID) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	b, ok := m.buckets[id]
	if !ok {
		return s3.ErrNoSuchBucket
	}
	if len(m.objects[id]) > 0 {
		return fmt.Errorf("delete bucket: %w", s3.ErrBucketNotEmpty)
	}
	for _, a := range b.Aliases {
		delete(m.aliases, a)
	}
	delete(m.buckets, id)
	delete(m.objects, id)
	return nil
}

// SetBucketConfig sets one configuration of a bucket.
func (m *Mem) SetBucketConfig(_ context.Context, id s3.BucketID, c s3.BucketConfig) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	b, ok := m.buckets[id]
	if !ok {
		return s3.ErrNoSuchBucket
	}
	switch c.Which {
	case s3.ConfigWebsite:
		b.Website = c.Website
	case s3.ConfigCORS:
		b.CORS = c.CORS
	case s3.ConfigLifecycle:
		b.Lifecycle = c.Lifecycle
	}
	return nil
}

// Head returns an object.
func (m *Mem) Head(_ context.Context, b s3.BucketID, key string) (s3.Object, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	o, ok := m.objects[b][key]
	if !ok {
		return o, fmt.Errorf("head %s: %w", key, s3.ErrNoSuchKey)
	}
	return o, nil
}

// Get returns an object and all its bytes.
func (m *Mem) Get(ctx context.Context, b s3.BucketID, key string) (s3.Object, io.ReadCloser, error) {
	o, err := m.Head(ctx, b, key)
	if err != nil {
		return o, nil, err
	}
	return o, io.NopCloser(bytes.NewReader(o.Handle.(*memData).data)), nil
}

// Read returns stored bytes of an object version.
func (m *Mem) Read(_ context.Context, o s3.Object, start, length int64) (io.ReadCloser, error) {
	m.mu.Lock()
	cur, ok := m.objects[o.Bucket][o.Key]
	m.mu.Unlock()
	if !ok || cur.Handle != o.Handle {
		return nil, s3.ErrChanged
	}
	data := o.Handle.(*memData).data
	end := min(start+length, int64(len(data)))
	return io.NopCloser(bytes.NewReader(data[min(start, end):end])), nil
}

// Part returns the bounds of part n of a multipart object.
func (m *Mem) Part(_ context.Context, o s3.Object, n int) (int64, int64, error) {
	parts := o.Handle.(*memData).parts
	if n < 1 || n > len(parts) {
		return 0, 0, fmt.Errorf("part %d of %d: %w", n, len(parts), s3.ErrInvalidPart)
	}
	var start int64
	for _, p := range parts[:n-1] {
		start += p
	}
	return start, parts[n-1], nil
}

// Put stores an object read from in.Body.
func (m *Mem) Put(_ context.Context, b s3.BucketID, key string, in s3.PutInput) (s3.Object, error) {
	data, err := io.ReadAll(in.Body)
	if err != nil {
		return s3.Object{}, err
	}
	meta := in.Meta
	if in.Sums != nil {
		meta.Checksum = in.Sums()
	}
	sum := md5.Sum(data)
	meta.Size, meta.ETag, meta.PartCount = int64(len(data)), `"`+hex.EncodeToString(sum[:])+`"`, 0
	return m.store(b, key, meta, &memData{data: data})
}

func (m *Mem) store(b s3.BucketID, key string, meta s3.ObjectMeta, d *memData) (s3.Object, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	objs, ok := m.objects[b]
	if !ok {
		return s3.Object{}, s3.ErrNoSuchBucket
	}
	if err := m.checkQuota(b, key, int64(len(d.data))); err != nil {
		return s3.Object{}, err
	}
	o := s3.Object{Bucket: b, Key: key, Modified: m.now(), Meta: meta, Handle: d}
	objs[key] = o
	return o, nil
}

// checkQuota refuses an object of size bytes under key that would take
// bucket b over its quotas.
func (m *Mem) checkQuota(b s3.BucketID, key string, size int64) error {
	q := m.quotas[b]
	var total, count int64
	for k, o := range m.objects[b] { //det:ok sums
		if k != key {
			total, count = total+o.Meta.Size, count+1
		}
	}
	if (q.MaxSize > 0 && total+size > q.MaxSize) || (q.MaxObjects > 0 && count+1 > q.MaxObjects) {
		return fmt.Errorf("put %s: %w", key, s3.ErrQuotaExceeded)
	}
	return nil
}

// Copy stores a copy of src's data.
func (m *Mem) Copy(_ context.Context, src s3.Object, b s3.BucketID, key string, meta s3.ObjectMeta) (s3.Object, error) {
	meta.Size, meta.ETag, meta.PartCount = src.Meta.Size, src.Meta.ETag, src.Meta.PartCount
	return m.store(b, key, meta, src.Handle.(*memData))
}

// Delete removes an object.
func (m *Mem) Delete(_ context.Context, b s3.BucketID, key string) (time.Time, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.objects[b][key]; !ok {
		return time.Time{}, nil
	}
	delete(m.objects[b], key)
	return m.now(), nil
}

// List lists objects.
func (m *Mem) List(_ context.Context, b s3.BucketID, q s3.ListQuery) (s3.ListPage, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	objs := m.objects[b]
	var page s3.ListPage
	begin := q.Token
	if begin == "" {
		begin = Begin(q.Prefix, q.Delimiter, q.StartAfter)
	}
	n := 0
	for _, k := range slices.Sorted(maps.Keys(objs)) {
		if k < begin || !strings.HasPrefix(k, q.Prefix) {
			continue
		}
		p, rolled := rollUp(k, q.Prefix, q.Delimiter)
		if rolled && len(page.Prefixes) > 0 && page.Prefixes[len(page.Prefixes)-1] == p {
			continue
		}
		if n == q.Max {
			page.Truncated = true
			break
		}
		n++
		if rolled {
			page.Prefixes = append(page.Prefixes, p)
			page.NextMarker = p
			continue
		}
		o := objs[k]
		page.Objects = append(page.Objects, s3.ObjectEntry{Key: k, Modified: o.Modified, ETag: o.Meta.ETag,
			Size: o.Meta.Size, Checksum: o.Meta.Checksum.Algorithm})
		page.NextMarker = k
	}
	if page.Truncated {
		page.Next = Begin(q.Prefix, q.Delimiter, page.NextMarker)
	} else {
		page.NextMarker = ""
	}
	return page, nil
}

// Begin returns where a listing of prefix rolled up at delimiter resumes
// after marker (a key or a common prefix): just after marker, or, when
// marker lies under a common prefix, after every key of that prefix.
func Begin(prefix, delimiter, marker string) string {
	if marker == "" {
		return ""
	}
	if p, ok := rollUp(marker, prefix, delimiter); ok && strings.HasPrefix(marker, prefix) {
		return successor(p)
	}
	return marker + "\x00"
}

// successor returns the least string greater than every string starting
// with p (p itself if none is: p is all 0xff bytes).
func successor(p string) string {
	b := []byte(p)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < 0xff {
			b[i]++
			return string(b[:i+1])
		}
	}
	return p
}

// rollUp returns the common prefix key falls under, if any.
func rollUp(key, prefix, delimiter string) (string, bool) {
	if delimiter == "" || !strings.HasPrefix(key, prefix) {
		return "", false
	}
	rest := key[len(prefix):]
	i := strings.Index(rest, delimiter)
	if i < 0 {
		return "", false
	}
	return prefix + rest[:i+len(delimiter)], true
}

// CreateUpload starts an upload.
func (m *Mem) CreateUpload(_ context.Context, b s3.BucketID, key string, meta s3.ObjectMeta) (s3.Upload, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.seq++
	u := s3.Upload{Bucket: b, Key: key, ID: fmt.Sprintf("%032x", m.seq), Initiated: m.now(), Meta: meta}
	m.uploads[u.ID] = &memUpload{u: u, parts: map[int]memPart{}}
	return u, nil
}

// Upload returns an upload.
func (m *Mem) Upload(_ context.Context, b s3.BucketID, key, id string) (s3.Upload, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	u, ok := m.uploads[id]
	if !ok || u.u.Bucket != b || u.u.Key != key {
		return s3.Upload{}, fmt.Errorf("upload %s: %w", id, s3.ErrNoSuchUpload)
	}
	return u.u, nil
}

// PutPart stores a part.
func (m *Mem) PutPart(_ context.Context, u s3.Upload, n int, in s3.PutInput) (s3.Part, error) {
	data, err := io.ReadAll(in.Body)
	if err != nil {
		return s3.Part{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	mu, ok := m.uploads[u.ID]
	if !ok {
		return s3.Part{}, s3.ErrNoSuchUpload
	}
	sum := md5.Sum(data)
	p := s3.Part{Number: n, Modified: m.now(), ETag: `"` + hex.EncodeToString(sum[:]) + `"`, Size: int64(len(data))}
	if in.Sums != nil {
		p.Checksum = in.Sums()
	}
	mu.parts[n] = memPart{p: p, data: data}
	return p, nil
}

// CompleteUpload assembles an object from parts.
func (m *Mem) CompleteUpload(_ context.Context, u s3.Upload, want []s3.CompletedPart) (s3.Object, error) {
	m.mu.Lock()
	mu, ok := m.uploads[u.ID]
	if !ok {
		m.mu.Unlock()
		return s3.Object{}, s3.ErrNoSuchUpload
	}
	d := &memData{}
	var md5s [][]byte
	for i, w := range want {
		p, ok := mu.parts[w.Number]
		if !ok || strings.Trim(p.p.ETag, `"`) != strings.Trim(w.ETag, `"`) {
			m.mu.Unlock()
			return s3.Object{}, fmt.Errorf("part %d: %w", w.Number, s3.ErrInvalidPart)
		}
		if i < len(want)-1 && p.p.Size < MinPartSize {
			m.mu.Unlock()
			return s3.Object{}, fmt.Errorf("part %d: %w", w.Number, s3.ErrPartTooSmall)
		}
		sum := md5.Sum(p.data)
		md5s = append(md5s, sum[:])
		d.data = append(d.data, p.data...)
		d.parts = append(d.parts, p.p.Size)
	}
	m.mu.Unlock()
	meta := u.Meta
	meta.Size, meta.ETag, meta.PartCount = int64(len(d.data)), checksum.MultipartETag(md5s), len(want)
	meta.Checksum = checksum.Value{}
	o, err := m.store(u.Bucket, u.Key, meta, d)
	if err == nil {
		m.mu.Lock()
		delete(m.uploads, u.ID)
		m.mu.Unlock()
	}
	return o, err
}

// AbortUpload ends an upload.
func (m *Mem) AbortUpload(_ context.Context, u s3.Upload) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.uploads, u.ID)
	return nil
}

// ListUploads lists uploads in progress.
func (m *Mem) ListUploads(_ context.Context, b s3.BucketID, q s3.UploadQuery) (s3.UploadPage, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var us []s3.Upload
	for _, u := range m.uploads { //det:ok sorted below
		if u.u.Bucket == b && strings.HasPrefix(u.u.Key, q.Prefix) {
			us = append(us, u.u)
		}
	}
	slices.SortFunc(us, func(a, b s3.Upload) int {
		return strings.Compare(a.Key+"\x00"+a.ID, b.Key+"\x00"+b.ID)
	})
	begin := Begin(q.Prefix, q.Delimiter, q.KeyMarker)
	if q.UploadIDMarker != "" {
		begin = q.KeyMarker
	}
	var page s3.UploadPage
	n := 0
	for _, u := range us {
		if u.Key < begin || (u.Key == q.KeyMarker && q.UploadIDMarker != "" && u.ID <= q.UploadIDMarker) {
			continue
		}
		p, rolled := rollUp(u.Key, q.Prefix, q.Delimiter)
		if rolled && len(page.Prefixes) > 0 && page.Prefixes[len(page.Prefixes)-1] == p {
			continue
		}
		if n == q.Max {
			page.Truncated = true
			break
		}
		n++
		if rolled {
			page.Prefixes = append(page.Prefixes, p)
			page.NextKeyMarker, page.NextUploadIDMarker = p, ""
			continue
		}
		page.Uploads = append(page.Uploads, u)
		page.NextKeyMarker, page.NextUploadIDMarker = u.Key, u.ID
	}
	return page, nil
}

// ListParts lists the parts of an upload.
func (m *Mem) ListParts(_ context.Context, u s3.Upload, after, max int) (s3.PartPage, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	mu, ok := m.uploads[u.ID]
	if !ok {
		return s3.PartPage{}, s3.ErrNoSuchUpload
	}
	var page s3.PartPage
	for _, n := range slices.Sorted(maps.Keys(mu.parts)) {
		if n <= after {
			continue
		}
		if len(page.Parts) == max {
			page.Truncated = true
			break
		}
		page.Parts = append(page.Parts, mu.parts[n].p)
		page.Next = n
	}
	return page, nil
}

// Stored returns the bytes a Mem stores for object o (for tests that
// look at them, such as those of encryption).
func Stored(o s3.Object) []byte { return o.Handle.(*memData).data }
