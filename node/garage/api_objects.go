package garage

import "time"

// Admin RPC endpoints of bucket and key management (`garage bucket ...`,
// `garage key ...`). Buckets are named by a global alias, a full id or an
// unambiguous id prefix; keys by an id, an unambiguous id prefix or a
// unique name.
const (
	EndpointBucketList    = "admin/bucket/list"
	EndpointBucketInfo    = "admin/bucket/info"
	EndpointBucketCreate  = "admin/bucket/create"
	EndpointBucketDelete  = "admin/bucket/delete"
	EndpointBucketAlias   = "admin/bucket/alias"
	EndpointBucketUnalias = "admin/bucket/unalias"
	EndpointBucketAllow   = "admin/bucket/allow"
	EndpointBucketDeny    = "admin/bucket/deny"
	EndpointBucketWebsite = "admin/bucket/website"
	EndpointBucketQuotas  = "admin/bucket/set-quotas"
	EndpointKeyList       = "admin/key/list"
	EndpointKeyInfo       = "admin/key/info"
	EndpointKeyCreate     = "admin/key/create"
	EndpointKeyRename     = "admin/key/rename"
	EndpointKeyDelete     = "admin/key/delete"
	EndpointKeyAllow      = "admin/key/allow"
	EndpointKeyDeny       = "admin/key/deny"
	EndpointKeyImport     = "admin/key/import"
)

// BucketRequest names a bucket.
type BucketRequest struct{ Bucket string }

// BucketCreateRequest is `bucket create <name>`.
type BucketCreateRequest struct{ Name string }

// BucketAliasRequest is `bucket alias|unalias <bucket> <name>`, local to
// access key Key if it is set.
type BucketAliasRequest struct {
	Bucket, Name string
	Key          string `json:",omitempty"`
}

// BucketPermRequest is `bucket allow|deny --read --write --owner <bucket>
// --key <key>`: the flags set are granted, or revoked.
type BucketPermRequest struct {
	Bucket, Key        string
	Read, Write, Owner bool
}

// BucketWebsiteRequest is `bucket website --allow|--deny <bucket>`.
type BucketWebsiteRequest struct {
	Bucket        string
	Allow         bool
	IndexDocument string `json:",omitempty"` // "index.html" if empty
	ErrorDocument string `json:",omitempty"`
}

// BucketQuotasRequest is `bucket set-quotas <bucket>`: a nil limit is
// left as it is, a zero one removed.
type BucketQuotasRequest struct {
	Bucket     string
	MaxSize    *uint64 `json:",omitempty"`
	MaxObjects *uint64 `json:",omitempty"`
}

// BucketSummary is one line of `bucket list`.
type BucketSummary struct {
	ID           string
	Created      time.Time
	Aliases      []string
	LocalAliases []LocalAliasInfo
}

// LocalAliasInfo is a bucket name in one access key's namespace.
type LocalAliasInfo struct{ Key, Name string }

// BucketListReply lists every bucket.
type BucketListReply struct{ Buckets []BucketSummary }

// BucketKeyInfo is an access key's permission on a bucket.
type BucketKeyInfo struct {
	Key, Name          string
	Read, Write, Owner bool
}

// BucketInfoReply is `bucket info`: the bucket, its keys, configuration
// and counters.
type BucketInfoReply struct {
	BucketSummary
	Keys          []BucketKeyInfo
	Website       bool
	IndexDocument string `json:",omitempty"`
	ErrorDocument string `json:",omitempty"`
	HasCORS       bool
	HasLifecycle  bool
	MaxSize       uint64 // 0: no limit
	MaxObjects    uint64
	Objects       int64
	Bytes         int64
	Uploads       int64
}

// KeyRequest names an access key; ShowSecret asks for its secret.
type KeyRequest struct {
	Key        string
	ShowSecret bool `json:",omitempty"`
}

// KeyCreateRequest is `key create <name>`.
type KeyCreateRequest struct{ Name string }

// KeyRenameRequest is `key rename <key> <name>`.
type KeyRenameRequest struct{ Key, Name string }

// KeyPermRequest is `key allow|deny --create-bucket <key>`.
type KeyPermRequest struct {
	Key          string
	CreateBucket bool
}

// KeyImportRequest is `key import <id> <secret> [-n name]`.
type KeyImportRequest struct{ ID, Secret, Name string }

// KeySummary is one line of `key list`.
type KeySummary struct{ ID, Name string }

// KeyListReply lists every access key.
type KeyListReply struct{ Keys []KeySummary }

// KeyBucketInfo is a key's access to one bucket.
type KeyBucketInfo struct {
	ID                 string
	Aliases            []string // global
	LocalAliases       []string // in this key's namespace
	Read, Write, Owner bool
}

// KeyInfoReply is `key info`.
type KeyInfoReply struct {
	ID, Name          string
	Secret            string `json:",omitempty"` // only when asked for
	AllowCreateBucket bool
	Buckets           []KeyBucketInfo
}
