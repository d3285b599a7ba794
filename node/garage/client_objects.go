package garage

import "context"

// BucketList lists every bucket.
func (a *Admin) BucketList(ctx context.Context) ([]BucketSummary, error) {
	rep, err := callJSON[BucketListReply](ctx, a, EndpointBucketList, none{})
	return rep.Buckets, err
}

// BucketInfo describes a bucket (alias, id or id prefix).
func (a *Admin) BucketInfo(ctx context.Context, bucket string) (BucketInfoReply, error) {
	return callJSON[BucketInfoReply](ctx, a, EndpointBucketInfo, BucketRequest{Bucket: bucket})
}

// BucketCreate creates a bucket with a global name.
func (a *Admin) BucketCreate(ctx context.Context, name string) (BucketSummary, error) {
	return callJSON[BucketSummary](ctx, a, EndpointBucketCreate, BucketCreateRequest{Name: name})
}

// BucketDelete deletes an empty bucket.
func (a *Admin) BucketDelete(ctx context.Context, bucket string) error {
	_, err := a.call(ctx, EndpointBucketDelete, BucketRequest{Bucket: bucket})
	return err
}

// BucketAlias adds a name to a bucket: global, or local to key if set.
func (a *Admin) BucketAlias(ctx context.Context, bucket, name, key string) error {
	_, err := a.call(ctx, EndpointBucketAlias, BucketAliasRequest{Bucket: bucket, Name: name, Key: key})
	return err
}

// BucketUnalias removes a name: global (bucket may be empty), or local
// to key if set.
func (a *Admin) BucketUnalias(ctx context.Context, bucket, name, key string) error {
	_, err := a.call(ctx, EndpointBucketUnalias, BucketAliasRequest{Bucket: bucket, Name: name, Key: key})
	return err
}

// BucketAllow grants the flags of req.
func (a *Admin) BucketAllow(ctx context.Context, req BucketPermRequest) error {
	_, err := a.call(ctx, EndpointBucketAllow, req)
	return err
}

// BucketDeny revokes the flags of req.
func (a *Admin) BucketDeny(ctx context.Context, req BucketPermRequest) error {
	_, err := a.call(ctx, EndpointBucketDeny, req)
	return err
}

// BucketWebsite turns a bucket's website on or off.
func (a *Admin) BucketWebsite(ctx context.Context, req BucketWebsiteRequest) error {
	_, err := a.call(ctx, EndpointBucketWebsite, req)
	return err
}

// BucketSetQuotas changes a bucket's quotas.
func (a *Admin) BucketSetQuotas(ctx context.Context, req BucketQuotasRequest) error {
	_, err := a.call(ctx, EndpointBucketQuotas, req)
	return err
}

// KeyList lists every access key.
func (a *Admin) KeyList(ctx context.Context) ([]KeySummary, error) {
	rep, err := callJSON[KeyListReply](ctx, a, EndpointKeyList, none{})
	return rep.Keys, err
}

// KeyInfo describes an access key (id, id prefix or name).
func (a *Admin) KeyInfo(ctx context.Context, key string, showSecret bool) (KeyInfoReply, error) {
	return callJSON[KeyInfoReply](ctx, a, EndpointKeyInfo, KeyRequest{Key: key, ShowSecret: showSecret})
}

// KeyCreate creates an access key; the reply holds its secret.
func (a *Admin) KeyCreate(ctx context.Context, name string) (KeyInfoReply, error) {
	return callJSON[KeyInfoReply](ctx, a, EndpointKeyCreate, KeyCreateRequest{Name: name})
}

// KeyImport imports an access key made elsewhere.
func (a *Admin) KeyImport(ctx context.Context, id, secret, name string) (KeyInfoReply, error) {
	return callJSON[KeyInfoReply](ctx, a, EndpointKeyImport, KeyImportRequest{ID: id, Secret: secret, Name: name})
}

// KeyRename renames an access key.
func (a *Admin) KeyRename(ctx context.Context, key, name string) error {
	_, err := a.call(ctx, EndpointKeyRename, KeyRenameRequest{Key: key, Name: name})
	return err
}

// KeyDelete deletes an access key.
func (a *Admin) KeyDelete(ctx context.Context, key string) error {
	_, err := a.call(ctx, EndpointKeyDelete, KeyRequest{Key: key})
	return err
}

// KeyAllow grants what req names (the right to create buckets).
func (a *Admin) KeyAllow(ctx context.Context, req KeyPermRequest) error {
	_, err := a.call(ctx, EndpointKeyAllow, req)
	return err
}

// KeyDeny revokes what req names.
func (a *Admin) KeyDeny(ctx context.Context, req KeyPermRequest) error {
	_, err := a.call(ctx, EndpointKeyDeny, req)
	return err
}
