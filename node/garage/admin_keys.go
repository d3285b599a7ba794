package garage

import (
	"context"

	"github.com/gogarage/garage/node/object"
)

// KeyList lists every access key, from this node's state.
func (n *Node) KeyList() (KeyListReply, error) {
	all, err := n.objects.ListKeys()
	rep := KeyListReply{}
	for _, k := range all {
		rep.Keys = append(rep.Keys, KeySummary{ID: k.ID, Name: k.Name})
	}
	return rep, err
}

// KeyInfo describes an access key and its buckets.
func (n *Node) KeyInfo(req KeyRequest) (KeyInfoReply, error) {
	k, err := n.findKey(req.Key)
	if err != nil {
		return KeyInfoReply{}, err
	}
	return n.keyInfo(k, req.ShowSecret), nil
}

func (n *Node) keyInfo(k object.KeyInfo, secret bool) KeyInfoReply {
	rep := KeyInfoReply{ID: k.ID, Name: k.Name, AllowCreateBucket: k.AllowCreateBucket}
	if secret {
		rep.Secret = k.Secret
	}
	for _, kb := range k.Buckets {
		info := KeyBucketInfo{ID: kb.ID.String(), Read: kb.Perm.Read, Write: kb.Perm.Write, Owner: kb.Perm.Owner}
		if b, err := n.objects.Bucket(kb.ID); err == nil {
			info.Aliases = b.Aliases
		}
		for _, a := range k.LocalAliases {
			if a.Bucket == kb.ID {
				info.LocalAliases = append(info.LocalAliases, a.Name)
			}
		}
		rep.Buckets = append(rep.Buckets, info)
	}
	return rep
}

// KeyCreate creates an access key; the reply holds its secret.
func (n *Node) KeyCreate(ctx context.Context, name string) (KeyInfoReply, error) {
	k, err := n.objects.CreateKey(ctx, name)
	return n.keyInfo(k, true), err
}

// KeyImport imports an access key made elsewhere.
func (n *Node) KeyImport(ctx context.Context, req KeyImportRequest) (KeyInfoReply, error) {
	k, err := n.objects.ImportKey(ctx, req.ID, req.Secret, req.Name)
	return n.keyInfo(k, false), err
}

// KeyRename renames an access key.
func (n *Node) KeyRename(ctx context.Context, req KeyRenameRequest) error {
	k, err := n.findKey(req.Key)
	if err != nil {
		return err
	}
	return n.objects.RenameKey(ctx, k.ID, req.Name)
}

// KeyDelete deletes an access key.
func (n *Node) KeyDelete(ctx context.Context, name string) error {
	k, err := n.findKey(name)
	if err != nil {
		return err
	}
	return n.objects.DeleteKey(ctx, k.ID)
}

// KeyPermission lets a key create buckets (allow) or not, when asked.
func (n *Node) KeyPermission(ctx context.Context, req KeyPermRequest, allow bool) error {
	k, err := n.findKey(req.Key)
	if err != nil || !req.CreateBucket {
		return err
	}
	return n.objects.SetAllowCreateBucket(ctx, k.ID, allow)
}
