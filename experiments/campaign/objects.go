package campaign

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/gogarage/garage/experiments/s3client"
	"github.com/gogarage/garage/experiments/workload"
	"github.com/gogarage/garage/node/garage"
	"github.com/gogarage/garage/node/model"
	"github.com/gogarage/garage/node/object"
)

// The workloads on the object service itself, below HTTP (issue 9's
// object workload): the same generators, bodies and checks as the S3
// workloads, through object.Service calls of the client's node.
const (
	// WorkloadObject is the register workload on objects: puts of bodies
	// from a few bytes to several blocks (some as multipart uploads),
	// gets that check the body, heads, deletes.
	WorkloadObject = "object"
	// WorkloadObjectList is the set workload on a prefix: puts, deletes and
	// listing pages.
	WorkloadObjectList = "object-list"
)

// metaValue is the stored header carrying a written value, as the S3
// layer stores x-amz-meta-v.
const metaValue = "x-amz-meta-" + s3client.MetaValue

// objectRegisters are the register workload's registers as objects of
// the workload's bucket, written and read through node N's object
// service; bodies and checks are s3client.Objects's.
type objectRegisters struct {
	N     func() *garage.Node
	reads int
}

var _ workload.Registers = (*objectRegisters)(nil)

// bucket resolves the workload's bucket on the node.
func (o *objectRegisters) bucket() (*object.Service, model.UUID, error) {
	svc := o.N().Objects()
	b, err := svc.ResolveBucket(s3Bucket, s3KeyID)
	return svc, b, err
}

// Put writes the object of value, as one put or a multipart upload.
func (o *objectRegisters) Put(ctx context.Context, key, value string) (uint64, error) {
	svc, b, err := o.bucket()
	if err != nil {
		return 0, err
	}
	meta := model.Meta{Headers: []model.Header{{Name: metaValue, Value: value}}}
	parts := s3client.Body(value)
	if len(parts) == 1 {
		info, err := svc.Put(ctx, b, key, bytes.NewReader(parts[0]), meta)
		return info.TS, err
	}
	return putMultipart(ctx, svc, b, key, parts, meta)
}

func putMultipart(ctx context.Context, svc *object.Service, b model.UUID, key string, parts [][]byte, meta model.Meta) (uint64, error) {
	id, err := svc.CreateUpload(ctx, b, key, meta)
	if err != nil {
		return 0, err
	}
	var done []object.CompletedPart
	for i, p := range parts {
		info, err := svc.UploadPart(ctx, b, key, id, i+1, bytes.NewReader(p))
		if err != nil {
			return 0, err
		}
		done = append(done, object.CompletedPart{Number: i + 1, ETag: info.ETag})
	}
	info, err := svc.CompleteUpload(ctx, b, key, id, done, object.CompleteOptions{})
	return info.TS, err
}

// Get reads the object, by three gets then a head; a body that is not the
// one its value names reads as a value no write wrote.
func (o *objectRegisters) Get(ctx context.Context, key string) (string, bool, error) {
	svc, b, err := o.bucket()
	if err != nil {
		return "", false, err
	}
	o.reads++
	if o.reads%4 == 0 {
		return found(svc.Head(ctx, b, key, object.GetOptions{}))
	}
	c, err := svc.Get(ctx, b, key, object.GetOptions{})
	v, ok, err := found(c, err)
	if err != nil || !ok {
		return "", false, err
	}
	defer c.Body.Close()
	body, err := io.ReadAll(c.Body)
	if err != nil {
		return "", false, err
	}
	if !bytes.Equal(body, bytes.Join(s3client.Body(v), nil)) {
		return "corrupt body of " + v, true, nil
	}
	return v, true, nil
}

// found turns a get or head into the value it read: no such key is a
// successful read of nothing.
func found(c *object.Content, err error) (string, bool, error) {
	if errors.Is(err, object.ErrNoSuchKey) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	return valueOf(c.Meta), true, nil
}

func valueOf(m model.Meta) string {
	for _, h := range m.Headers {
		if strings.EqualFold(h.Name, metaValue) {
			return h.Value
		}
	}
	return ""
}

// Delete deletes the object.
func (o *objectRegisters) Delete(ctx context.Context, key string) (uint64, error) {
	svc, b, err := o.bucket()
	if err != nil {
		return 0, err
	}
	info, err := svc.Delete(ctx, b, key)
	return info.TS, err
}

// objectSet is the set workload's sets as prefixes of the workload's
// bucket, through node N's object service: element e of set s is the
// object "s/e".
type objectSet struct{ N func() *garage.Node }

var _ workload.Set = objectSet{}

func (s objectSet) regs() *objectRegisters { return &objectRegisters{N: s.N} }

// Add writes the element's object.
func (s objectSet) Add(ctx context.Context, set, elem string) error {
	svc, b, err := s.regs().bucket()
	if err != nil {
		return err
	}
	_, err = svc.Put(ctx, b, set+"/"+elem, bytes.NewReader([]byte{1}), model.Meta{})
	return err
}

// Remove deletes the element's object.
func (s objectSet) Remove(ctx context.Context, set, elem string) error {
	_, err := s.regs().Delete(ctx, set+"/"+elem)
	return err
}

// ListPage lists a page of the set's prefix; the cursor is the listing's
// continuation token.
func (s objectSet) ListPage(ctx context.Context, set, cursor string, limit int) ([]string, string, error) {
	svc, b, err := s.regs().bucket()
	if err != nil {
		return nil, "", err
	}
	p, err := svc.List(ctx, b, object.ListOptions{Prefix: set + "/", Token: cursor, MaxKeys: limit})
	if err != nil {
		return nil, "", fmt.Errorf("list %s after %q: %w", set, cursor, err)
	}
	elems := make([]string, len(p.Objects))
	for i, o := range p.Objects {
		elems[i] = strings.TrimPrefix(o.Key, set+"/")
	}
	if !p.Truncated {
		return elems, "", nil
	}
	return elems, p.Next, nil
}
