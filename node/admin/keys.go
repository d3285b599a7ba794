package admin

import (
	"net/http"

	"github.com/gogarage/garage/node/garage"
)

// keyOps registers the access key operations of Garage v2's admin API.
func (s *Server) keyOps(ops map[string]op) {
	g := s.cfg.Node
	ops["ListKeys"] = op{http.MethodGet, func(*http.Request) (any, error) {
		rep, err := g.KeyList()
		out := []KeyListItem{}
		for _, k := range rep.Keys {
			out = append(out, KeyListItem{ID: k.ID, Name: k.Name})
		}
		return out, err
	}}
	ops["GetKeyInfo"] = op{http.MethodGet, func(r *http.Request) (any, error) {
		q := r.URL.Query()
		name := q.Get("id")
		if name == "" {
			name = q.Get("search")
		}
		if name == "" {
			return nil, badRequest("name the access key with ?id= or ?search= (an id, id prefix or name)")
		}
		return s.keyInfo(garage.KeyRequest{Key: name, ShowSecret: q.Get("showSecretKey") == "true"})
	}}
	ops["CreateKey"] = op{http.MethodPost, s.createKey}
	ops["ImportKey"] = op{http.MethodPost, s.importKey}
	ops["UpdateKey"] = op{http.MethodPost, s.updateKey}
	ops["DeleteKey"] = op{http.MethodPost, func(r *http.Request) (any, error) {
		id, err := idParam(r)
		if err != nil {
			return nil, err
		}
		return struct{}{}, g.KeyDelete(r.Context(), id)
	}}
}

// KeyListItem is an access key of ListKeys.
type KeyListItem struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// KeyPerms are an access key's own permissions.
type KeyPerms struct {
	CreateBucket bool `json:"createBucket"`
}

// KeyBucket is a key's access to one bucket, in GetKeyInfo.
type KeyBucket struct {
	ID            string   `json:"id"`
	GlobalAliases []string `json:"globalAliases"`
	LocalAliases  []string `json:"localAliases"`
	Permissions   Perms    `json:"permissions"`
}

// KeyInfo is GetKeyInfo's reply (and that of the operations that change
// a key); the secret only when asked for, or at creation.
type KeyInfo struct {
	AccessKeyID     string      `json:"accessKeyId"`
	Name            string      `json:"name"`
	SecretAccessKey *string     `json:"secretAccessKey"`
	Permissions     KeyPerms    `json:"permissions"`
	Buckets         []KeyBucket `json:"buckets"`
}

func keyInfoOf(k garage.KeyInfoReply) KeyInfo {
	out := KeyInfo{AccessKeyID: k.ID, Name: k.Name, Permissions: KeyPerms{CreateBucket: k.AllowCreateBucket}, Buckets: []KeyBucket{}}
	if k.Secret != "" {
		out.SecretAccessKey = &k.Secret
	}
	for _, b := range k.Buckets {
		out.Buckets = append(out.Buckets, KeyBucket{ID: b.ID, GlobalAliases: nonNil(b.Aliases),
			LocalAliases: nonNil(b.LocalAliases), Permissions: Perms{b.Read, b.Write, b.Owner}})
	}
	return out
}

func (s *Server) keyInfo(req garage.KeyRequest) (KeyInfo, error) {
	k, err := s.cfg.Node.KeyInfo(req)
	if err != nil {
		return KeyInfo{}, err
	}
	return keyInfoOf(k), nil
}

// KeyPermsChange allows or denies a key's own permissions.
type KeyPermsChange struct {
	CreateBucket bool `json:"createBucket"`
}

// CreateKeyReq is CreateKey's request.
type CreateKeyReq struct {
	Name  string          `json:"name"`
	Allow *KeyPermsChange `json:"allow"`
}

func (s *Server) createKey(r *http.Request) (any, error) {
	var req CreateKeyReq
	if err := decodeBody(r, &req); err != nil {
		return nil, err
	}
	g, ctx := s.cfg.Node, r.Context()
	k, err := g.KeyCreate(ctx, req.Name)
	if err != nil {
		return nil, err
	}
	if req.Allow != nil && req.Allow.CreateBucket {
		if err := g.KeyPermission(ctx, garage.KeyPermRequest{Key: k.ID, CreateBucket: true}, true); err != nil {
			return nil, err
		}
		k.AllowCreateBucket = true
	}
	return keyInfoOf(k), nil
}

// ImportKeyReq is ImportKey's request.
type ImportKeyReq struct {
	AccessKeyID     string `json:"accessKeyId"`
	SecretAccessKey string `json:"secretAccessKey"`
	Name            string `json:"name"`
}

func (s *Server) importKey(r *http.Request) (any, error) {
	var req ImportKeyReq
	if err := decodeBody(r, &req); err != nil {
		return nil, err
	}
	k, err := s.cfg.Node.KeyImport(r.Context(), garage.KeyImportRequest{ID: req.AccessKeyID, Secret: req.SecretAccessKey, Name: req.Name})
	if err != nil {
		return nil, err
	}
	return keyInfoOf(k), nil
}

// UpdateKeyReq is UpdateKey's request: what is absent stays.
type UpdateKeyReq struct {
	Name  *string         `json:"name"`
	Allow *KeyPermsChange `json:"allow"`
	Deny  *KeyPermsChange `json:"deny"`
}

func (s *Server) updateKey(r *http.Request) (any, error) {
	id, err := idParam(r)
	if err != nil {
		return nil, err
	}
	var req UpdateKeyReq
	if err := decodeBody(r, &req); err != nil {
		return nil, err
	}
	if req.Allow != nil && req.Deny != nil && req.Allow.CreateBucket && req.Deny.CreateBucket {
		return nil, badRequest("allow and deny both name createBucket")
	}
	g, ctx := s.cfg.Node, r.Context()
	k, err := g.KeyInfo(garage.KeyRequest{Key: id})
	if err != nil {
		return nil, err
	}
	if req.Name != nil {
		if err := g.KeyRename(ctx, garage.KeyRenameRequest{Key: k.ID, Name: *req.Name}); err != nil {
			return nil, err
		}
	}
	for _, ch := range []struct {
		change *KeyPermsChange
		allow  bool
	}{{req.Allow, true}, {req.Deny, false}} {
		if ch.change != nil && ch.change.CreateBucket {
			if err := g.KeyPermission(ctx, garage.KeyPermRequest{Key: k.ID, CreateBucket: true}, ch.allow); err != nil {
				return nil, err
			}
		}
	}
	return s.keyInfo(garage.KeyRequest{Key: k.ID})
}
