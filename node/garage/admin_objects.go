package garage

import (
	"context"
	"fmt"
	"strings"

	"github.com/gogarage/garage/node/model"
	"github.com/gogarage/garage/node/object"
)

// bucketID resolves an admin's name for a bucket: a global alias, a full
// id, or an unambiguous prefix of one.
func (n *Node) bucketID(name string) (model.UUID, error) {
	if id, err := n.objects.ResolveBucket(name, ""); err == nil {
		return id, nil
	}
	all, err := n.objects.ListBuckets()
	if err != nil {
		return model.UUID{}, err
	}
	var found []model.UUID
	var names []string
	for _, b := range all {
		if name != "" && strings.HasPrefix(b.ID.String(), name) {
			found = append(found, b.ID)
			names = append(names, fmt.Sprintf("%s (%s)", b.ID, strings.Join(b.Aliases, ", ")))
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return model.UUID{}, fmt.Errorf("bucket %q: %w (no global alias, id or id prefix matches)", name, object.ErrNoSuchBucket)
	}
	return model.UUID{}, fmt.Errorf("bucket %q is ambiguous: %w: it matches %s; give more characters of the id",
		name, ErrAmbiguous, strings.Join(names, ", "))
}

func summary(b object.BucketInfo) BucketSummary {
	s := BucketSummary{ID: b.ID.String(), Created: b.Created, Aliases: b.Aliases}
	for _, la := range b.LocalAliases {
		s.LocalAliases = append(s.LocalAliases, LocalAliasInfo{Key: la.KeyID, Name: la.Name})
	}
	return s
}

// BucketList lists every bucket, from this node's state.
func (n *Node) BucketList() (BucketListReply, error) {
	all, err := n.objects.ListBuckets()
	rep := BucketListReply{}
	for _, b := range all {
		rep.Buckets = append(rep.Buckets, summary(b))
	}
	return rep, err
}

// BucketInfo describes a bucket, with its counters (read from a quorum).
func (n *Node) BucketInfo(ctx context.Context, name string) (BucketInfoReply, error) {
	id, err := n.bucketID(name)
	if err != nil {
		return BucketInfoReply{}, err
	}
	b, err := n.objects.Bucket(id)
	if err != nil {
		return BucketInfoReply{}, err
	}
	rep := BucketInfoReply{BucketSummary: summary(b), Website: b.Website.Enabled, IndexDocument: b.Website.IndexDocument,
		ErrorDocument: b.Website.ErrorDocument, HasCORS: len(b.CORS) > 0, HasLifecycle: len(b.Lifecycle) > 0,
		MaxSize: b.Quotas.MaxSize, MaxObjects: b.Quotas.MaxObjects}
	for _, kp := range b.Keys {
		k, _ := n.objects.Key(kp.KeyID)
		rep.Keys = append(rep.Keys, BucketKeyInfo{Key: kp.KeyID, Name: k.Name, Read: kp.Perm.Read, Write: kp.Perm.Write, Owner: kp.Perm.Owner})
	}
	c, err := n.objects.BucketCounts(ctx, id)
	rep.Objects, rep.Bytes, rep.Uploads = c.Objects, c.Bytes, c.Uploads
	return rep, err
}

// BucketCreate creates a bucket with a global name.
func (n *Node) BucketCreate(ctx context.Context, name string) (BucketSummary, error) {
	id, err := n.objects.CreateBucket(ctx, name, "")
	if err != nil {
		return BucketSummary{}, err
	}
	b, err := n.objects.Bucket(id)
	return summary(b), err
}

// BucketDelete deletes an empty bucket.
func (n *Node) BucketDelete(ctx context.Context, name string) error {
	id, err := n.bucketID(name)
	if err != nil {
		return err
	}
	return n.objects.DeleteBucket(ctx, id)
}

// BucketAlias adds a name to a bucket (global, or local to a key).
func (n *Node) BucketAlias(ctx context.Context, req BucketAliasRequest) error {
	id, keyID, err := n.bucketAndKey(req.Bucket, req.Key)
	if err != nil {
		return err
	}
	return n.objects.AliasBucket(ctx, id, req.Name, keyID)
}

// BucketUnalias removes a name: global, or local to req.Key if set (the
// name designates the bucket; req.Bucket, if set, must be that bucket).
func (n *Node) BucketUnalias(ctx context.Context, req BucketAliasRequest) error {
	keyID := ""
	if req.Key != "" {
		k, err := n.findKey(req.Key)
		if err != nil {
			return err
		}
		keyID = k.ID
	}
	id, err := n.objects.ResolveBucket(req.Name, keyID)
	if err != nil {
		return err
	}
	if req.Bucket != "" {
		want, err := n.bucketID(req.Bucket)
		if err != nil {
			return err
		}
		if want != id {
			return badRequest("%q names bucket %s, not bucket %s", req.Name, id, want)
		}
	}
	return n.objects.UnaliasBucket(ctx, id, req.Name, keyID)
}

// bucketAndKey resolves a bucket and, if keyName is set, an access key.
func (n *Node) bucketAndKey(bucket, keyName string) (model.UUID, string, error) {
	id, err := n.bucketID(bucket)
	if err != nil || keyName == "" {
		return id, "", err
	}
	k, err := n.findKey(keyName)
	return id, k.ID, err
}

// BucketPermission grants (allow) or revokes the flags of req.
func (n *Node) BucketPermission(ctx context.Context, req BucketPermRequest, allow bool) error {
	id, keyID, err := n.bucketAndKey(req.Bucket, req.Key)
	if err != nil {
		return err
	}
	if keyID == "" {
		return fmt.Errorf("bucket permission: no access key named: %w", object.ErrNoSuchAccessKey)
	}
	p := n.objects.Permission(keyID, id)
	set := func(cur *bool, flag bool) {
		if flag {
			*cur = allow
		}
	}
	set(&p.Read, req.Read)
	set(&p.Write, req.Write)
	set(&p.Owner, req.Owner)
	return n.objects.SetPermission(ctx, id, keyID, p)
}

// BucketWebsite turns a bucket's website on (with its documents) or off.
func (n *Node) BucketWebsite(ctx context.Context, req BucketWebsiteRequest) error {
	id, err := n.bucketID(req.Bucket)
	if err != nil {
		return err
	}
	w := model.Website{}
	if req.Allow {
		w = model.Website{Enabled: true, IndexDocument: req.IndexDocument, ErrorDocument: req.ErrorDocument}
		if w.IndexDocument == "" {
			w.IndexDocument = "index.html"
		}
	}
	return n.objects.SetWebsite(ctx, id, w)
}

// BucketQuotas changes a bucket's quotas.
func (n *Node) BucketQuotas(ctx context.Context, req BucketQuotasRequest) error {
	id, err := n.bucketID(req.Bucket)
	if err != nil {
		return err
	}
	b, err := n.objects.Bucket(id)
	if err != nil {
		return err
	}
	q := b.Quotas
	if req.MaxSize != nil {
		q.MaxSize = *req.MaxSize
	}
	if req.MaxObjects != nil {
		q.MaxObjects = *req.MaxObjects
	}
	return n.objects.SetQuotas(ctx, id, q)
}
