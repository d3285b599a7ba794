package garage

import (
	"context"

	"github.com/gogarage/garage/node/rt"
)

// registerBuckets installs the bucket management handlers.
func (n *Node) registerBuckets(net rt.Net) {
	net.Handle(EndpointBucketList, handler(EndpointBucketList, func(context.Context, none) (BucketListReply, error) {
		return n.BucketList()
	}))
	net.Handle(EndpointBucketInfo, handler(EndpointBucketInfo, func(ctx context.Context, r BucketRequest) (BucketInfoReply, error) {
		return n.BucketInfo(ctx, r.Bucket)
	}))
	net.Handle(EndpointBucketCreate, handler(EndpointBucketCreate, func(ctx context.Context, r BucketCreateRequest) (BucketSummary, error) {
		return n.BucketCreate(ctx, r.Name)
	}))
	net.Handle(EndpointBucketDelete, handler(EndpointBucketDelete, func(ctx context.Context, r BucketRequest) (none, error) {
		return none{}, n.BucketDelete(ctx, r.Bucket)
	}))
	net.Handle(EndpointBucketAlias, handler(EndpointBucketAlias, func(ctx context.Context, r BucketAliasRequest) (none, error) {
		return none{}, n.BucketAlias(ctx, r)
	}))
	net.Handle(EndpointBucketUnalias, handler(EndpointBucketUnalias, func(ctx context.Context, r BucketAliasRequest) (none, error) {
		return none{}, n.BucketUnalias(ctx, r)
	}))
	net.Handle(EndpointBucketAllow, handler(EndpointBucketAllow, func(ctx context.Context, r BucketPermRequest) (none, error) {
		return none{}, n.BucketPermission(ctx, r, true)
	}))
	net.Handle(EndpointBucketDeny, handler(EndpointBucketDeny, func(ctx context.Context, r BucketPermRequest) (none, error) {
		return none{}, n.BucketPermission(ctx, r, false)
	}))
	net.Handle(EndpointBucketWebsite, handler(EndpointBucketWebsite, func(ctx context.Context, r BucketWebsiteRequest) (none, error) {
		return none{}, n.BucketWebsite(ctx, r)
	}))
	net.Handle(EndpointBucketQuotas, handler(EndpointBucketQuotas, func(ctx context.Context, r BucketQuotasRequest) (none, error) {
		return none{}, n.BucketQuotas(ctx, r)
	}))
}

// registerKeys installs the key management handlers.
func (n *Node) registerKeys(net rt.Net) {
	net.Handle(EndpointKeyList, handler(EndpointKeyList, func(context.Context, none) (KeyListReply, error) {
		return n.KeyList()
	}))
	net.Handle(EndpointKeyInfo, handler(EndpointKeyInfo, func(_ context.Context, r KeyRequest) (KeyInfoReply, error) {
		return n.KeyInfo(r)
	}))
	net.Handle(EndpointKeyCreate, handler(EndpointKeyCreate, func(ctx context.Context, r KeyCreateRequest) (KeyInfoReply, error) {
		return n.KeyCreate(ctx, r.Name)
	}))
	net.Handle(EndpointKeyImport, handler(EndpointKeyImport, func(ctx context.Context, r KeyImportRequest) (KeyInfoReply, error) {
		return n.KeyImport(ctx, r)
	}))
	net.Handle(EndpointKeyRename, handler(EndpointKeyRename, func(ctx context.Context, r KeyRenameRequest) (none, error) {
		return none{}, n.KeyRename(ctx, r)
	}))
	net.Handle(EndpointKeyDelete, handler(EndpointKeyDelete, func(ctx context.Context, r KeyRequest) (none, error) {
		return none{}, n.KeyDelete(ctx, r.Key)
	}))
	net.Handle(EndpointKeyAllow, handler(EndpointKeyAllow, func(ctx context.Context, r KeyPermRequest) (none, error) {
		return none{}, n.KeyPermission(ctx, r, true)
	}))
	net.Handle(EndpointKeyDeny, handler(EndpointKeyDeny, func(ctx context.Context, r KeyPermRequest) (none, error) {
		return none{}, n.KeyPermission(ctx, r, false)
	}))
}
