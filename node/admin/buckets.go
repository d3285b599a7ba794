package admin

import (
	"context"
	"net/http"
	"time"

	"github.com/gogarage/garage/node/garage"
)

// bucketOps registers the bucket operations of Garage v2's admin API.
func (s *Server) bucketOps(ops map[string]op) {
	g := s.cfg.Node
	ops["ListBuckets"] = op{http.MethodGet, func(*http.Request) (any, error) {
		rep, err := g.BucketList()
		out := []BucketListItem{}
		for _, b := range rep.Buckets {
			out = append(out, BucketListItem{ID: b.ID, Created: b.Created, GlobalAliases: nonNil(b.Aliases), LocalAliases: localAliases(b)})
		}
		return out, err
	}}
	ops["GetBucketInfo"] = op{http.MethodGet, func(r *http.Request) (any, error) {
		name, err := bucketParam(r)
		if err != nil {
			return nil, err
		}
		return s.bucketInfo(r.Context(), name)
	}}
	ops["CreateBucket"] = op{http.MethodPost, s.createBucket}
	ops["UpdateBucket"] = op{http.MethodPost, s.updateBucket}
	ops["DeleteBucket"] = op{http.MethodPost, func(r *http.Request) (any, error) {
		id, err := idParam(r)
		if err != nil {
			return nil, err
		}
		return struct{}{}, g.BucketDelete(r.Context(), id)
	}}
	ops["AddBucketAlias"] = op{http.MethodPost, func(r *http.Request) (any, error) { return s.bucketAlias(r, true) }}
	ops["RemoveBucketAlias"] = op{http.MethodPost, func(r *http.Request) (any, error) { return s.bucketAlias(r, false) }}
	ops["AllowBucketKey"] = op{http.MethodPost, func(r *http.Request) (any, error) { return s.bucketKey(r, true) }}
	ops["DenyBucketKey"] = op{http.MethodPost, func(r *http.Request) (any, error) { return s.bucketKey(r, false) }}
}

// BucketListItem is a bucket of ListBuckets.
type BucketListItem struct {
	ID            string       `json:"id"`
	Created       time.Time    `json:"created"`
	GlobalAliases []string     `json:"globalAliases"`
	LocalAliases  []LocalAlias `json:"localAliases"`
}

// LocalAlias is a bucket name in one access key's namespace.
type LocalAlias struct {
	AccessKeyID string `json:"accessKeyId"`
	Alias       string `json:"alias"`
}

func localAliases(b garage.BucketSummary) []LocalAlias {
	out := []LocalAlias{}
	for _, la := range b.LocalAliases {
		out = append(out, LocalAlias{AccessKeyID: la.Key, Alias: la.Name})
	}
	return out
}

// Perms are a key's permissions on a bucket.
type Perms struct {
	Read  bool `json:"read"`
	Write bool `json:"write"`
	Owner bool `json:"owner"`
}

// BucketKey is a key's access to a bucket, in GetBucketInfo.
type BucketKey struct {
	AccessKeyID        string   `json:"accessKeyId"`
	Name               string   `json:"name"`
	Permissions        Perms    `json:"permissions"`
	BucketLocalAliases []string `json:"bucketLocalAliases"`
}

// WebsiteConfig is the website of a bucket.
type WebsiteConfig struct {
	IndexDocument string  `json:"indexDocument"`
	ErrorDocument *string `json:"errorDocument"`
}

// Quotas are a bucket's limits; null is no limit.
type Quotas struct {
	MaxSize    *uint64 `json:"maxSize"`
	MaxObjects *uint64 `json:"maxObjects"`
}

// BucketInfo is GetBucketInfo's reply (and that of the operations that
// change a bucket).
type BucketInfo struct {
	ID                         string         `json:"id"`
	Created                    time.Time      `json:"created"`
	GlobalAliases              []string       `json:"globalAliases"`
	WebsiteAccess              bool           `json:"websiteAccess"`
	WebsiteConfig              *WebsiteConfig `json:"websiteConfig"`
	Keys                       []BucketKey    `json:"keys"`
	Objects                    int64          `json:"objects"`
	Bytes                      int64          `json:"bytes"`
	UnfinishedUploads          int64          `json:"unfinishedUploads"`
	UnfinishedMultipartUploads int64          `json:"unfinishedMultipartUploads"`
	Quotas                     Quotas         `json:"quotas"`
}

func (s *Server) bucketInfo(ctx context.Context, name string) (BucketInfo, error) {
	b, err := s.cfg.Node.BucketInfo(ctx, name)
	if err != nil {
		return BucketInfo{}, err
	}
	out := BucketInfo{ID: b.ID, Created: b.Created, GlobalAliases: nonNil(b.Aliases), WebsiteAccess: b.Website,
		Keys: []BucketKey{}, Objects: b.Objects, Bytes: b.Bytes, UnfinishedUploads: b.Uploads,
		UnfinishedMultipartUploads: b.Uploads, Quotas: Quotas{MaxSize: limit(b.MaxSize), MaxObjects: limit(b.MaxObjects)}}
	if b.Website {
		out.WebsiteConfig = &WebsiteConfig{IndexDocument: b.IndexDocument}
		if b.ErrorDocument != "" {
			out.WebsiteConfig.ErrorDocument = &b.ErrorDocument
		}
	}
	for _, k := range b.Keys {
		bk := BucketKey{AccessKeyID: k.Key, Name: k.Name, Permissions: Perms{k.Read, k.Write, k.Owner}, BucketLocalAliases: []string{}}
		for _, la := range b.LocalAliases {
			if la.Key == k.Key {
				bk.BucketLocalAliases = append(bk.BucketLocalAliases, la.Name)
			}
		}
		out.Keys = append(out.Keys, bk)
	}
	return out, nil
}

func limit(v uint64) *uint64 {
	if v == 0 {
		return nil
	}
	return &v
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// bucketParam reads the bucket of GetBucketInfo: ?id=, ?globalAlias= or
// ?search= (an alias, id or id prefix).
func bucketParam(r *http.Request) (string, error) {
	q := r.URL.Query()
	for _, p := range []string{"id", "globalAlias", "search"} {
		if v := q.Get(p); v != "" {
			return v, nil
		}
	}
	return "", badRequest("name the bucket with ?id=, ?globalAlias= or ?search=")
}

// idParam reads ?id=, the id of the bucket or key an operation changes.
func idParam(r *http.Request) (string, error) {
	if id := r.URL.Query().Get("id"); id != "" {
		return id, nil
	}
	return "", badRequest("?id= missing: the id of the bucket or access key")
}

// CreateBucketReq is CreateBucket's request. A global alias is required:
// buckets named only in a key's namespace are not supported.
type CreateBucketReq struct {
	GlobalAlias string `json:"globalAlias"`
	LocalAlias  *struct {
		AccessKeyID string `json:"accessKeyId"`
		Alias       string `json:"alias"`
		Allow       Perms  `json:"allow"`
	} `json:"localAlias"`
}

func (s *Server) createBucket(r *http.Request) (any, error) {
	var req CreateBucketReq
	if err := decodeBody(r, &req); err != nil {
		return nil, err
	}
	if req.GlobalAlias == "" {
		return nil, badRequest("globalAlias missing: a bucket needs a global name here")
	}
	g, ctx := s.cfg.Node, r.Context()
	b, err := g.BucketCreate(ctx, req.GlobalAlias)
	if err != nil {
		return nil, err
	}
	if la := req.LocalAlias; la != nil {
		if err := g.BucketAlias(ctx, garage.BucketAliasRequest{Bucket: b.ID, Name: la.Alias, Key: la.AccessKeyID}); err != nil {
			return nil, err
		}
		if p := la.Allow; p.Read || p.Write || p.Owner {
			perm := garage.BucketPermRequest{Bucket: b.ID, Key: la.AccessKeyID, Read: p.Read, Write: p.Write, Owner: p.Owner}
			if err := g.BucketPermission(ctx, perm, true); err != nil {
				return nil, err
			}
		}
	}
	return s.bucketInfo(ctx, b.ID)
}

// UpdateBucketReq is UpdateBucket's request: what is absent stays.
type UpdateBucketReq struct {
	WebsiteAccess *struct {
		Enabled       bool   `json:"enabled"`
		IndexDocument string `json:"indexDocument"`
		ErrorDocument string `json:"errorDocument"`
	} `json:"websiteAccess"`
	Quotas *Quotas `json:"quotas"`
}

func (s *Server) updateBucket(r *http.Request) (any, error) {
	id, err := idParam(r)
	if err != nil {
		return nil, err
	}
	var req UpdateBucketReq
	if err := decodeBody(r, &req); err != nil {
		return nil, err
	}
	g, ctx := s.cfg.Node, r.Context()
	if w := req.WebsiteAccess; w != nil {
		err := g.BucketWebsite(ctx, garage.BucketWebsiteRequest{Bucket: id, Allow: w.Enabled,
			IndexDocument: w.IndexDocument, ErrorDocument: w.ErrorDocument})
		if err != nil {
			return nil, err
		}
	}
	if q := req.Quotas; q != nil {
		zero := func(p *uint64) *uint64 { // null removes the quota
			if p == nil {
				return new(uint64)
			}
			return p
		}
		err := g.BucketQuotas(ctx, garage.BucketQuotasRequest{Bucket: id, MaxSize: zero(q.MaxSize), MaxObjects: zero(q.MaxObjects)})
		if err != nil {
			return nil, err
		}
	}
	return s.bucketInfo(ctx, id)
}

// BucketAliasReq is AddBucketAlias's and RemoveBucketAlias's request:
// a global alias, or a local one with the key.
type BucketAliasReq struct {
	BucketID    string `json:"bucketId"`
	GlobalAlias string `json:"globalAlias"`
	AccessKeyID string `json:"accessKeyId"`
	LocalAlias  string `json:"localAlias"`
}

func (s *Server) bucketAlias(r *http.Request, add bool) (any, error) {
	var req BucketAliasReq
	if err := decodeBody(r, &req); err != nil {
		return nil, err
	}
	ar := garage.BucketAliasRequest{Bucket: req.BucketID, Name: req.GlobalAlias}
	switch {
	case req.BucketID == "":
		return nil, badRequest("bucketId missing")
	case (req.GlobalAlias == "") == (req.LocalAlias == ""):
		return nil, badRequest("give globalAlias, or localAlias with accessKeyId")
	case req.LocalAlias != "" && req.AccessKeyID == "":
		return nil, badRequest("accessKeyId missing: a local alias lives in a key's namespace")
	case req.LocalAlias != "":
		ar.Name, ar.Key = req.LocalAlias, req.AccessKeyID
	}
	g, ctx := s.cfg.Node, r.Context()
	info, err := s.bucketInfo(ctx, req.BucketID) // resolve it before changing its names
	if err != nil {
		return nil, err
	}
	ar.Bucket = info.ID
	if add {
		err = g.BucketAlias(ctx, ar)
	} else {
		err = g.BucketUnalias(ctx, ar)
	}
	if err != nil {
		return nil, err
	}
	return s.bucketInfo(ctx, info.ID)
}

// BucketKeyReq is AllowBucketKey's and DenyBucketKey's request.
type BucketKeyReq struct {
	BucketID    string `json:"bucketId"`
	AccessKeyID string `json:"accessKeyId"`
	Permissions Perms  `json:"permissions"`
}

func (s *Server) bucketKey(r *http.Request, allow bool) (any, error) {
	var req BucketKeyReq
	if err := decodeBody(r, &req); err != nil {
		return nil, err
	}
	p := req.Permissions
	switch {
	case req.BucketID == "" || req.AccessKeyID == "":
		return nil, badRequest("bucketId and accessKeyId are required")
	case !p.Read && !p.Write && !p.Owner:
		return nil, badRequest("permissions: set read, write or owner to true")
	}
	perm := garage.BucketPermRequest{Bucket: req.BucketID, Key: req.AccessKeyID, Read: p.Read, Write: p.Write, Owner: p.Owner}
	if err := s.cfg.Node.BucketPermission(r.Context(), perm, allow); err != nil {
		return nil, err
	}
	return s.bucketInfo(r.Context(), req.BucketID)
}
