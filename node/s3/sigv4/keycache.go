package sigv4

import "sync"

// KeyCache remembers signing keys. A key depends only on the secret and
// the scope (day, region, service), so a client signing many requests in
// a day needs one derivation (four HMACs) instead of one per request.
// The zero value is ready; a nil *KeyCache derives every key.
type KeyCache struct {
	mu sync.Mutex // held for a map access only
	m  map[keyCacheKey][]byte
}

type keyCacheKey struct {
	secret string
	scope  Scope
}

// maxCachedKeys bounds the cache: past it, the cache starts over (keys
// change every day, and a node serves few access keys).
const maxCachedKeys = 4096

// key returns SigningKey(secret, scope), derived once per pair.
func (c *KeyCache) key(secret string, scope Scope) []byte {
	if c == nil {
		return SigningKey(secret, scope)
	}
	k := keyCacheKey{secret, scope}
	c.mu.Lock()
	key, ok := c.m[k]
	c.mu.Unlock()
	if ok {
		return key
	}
	key = SigningKey(secret, scope)
	c.mu.Lock()
	if c.m == nil || len(c.m) >= maxCachedKeys {
		c.m = make(map[keyCacheKey][]byte)
	}
	c.m[k] = key
	c.mu.Unlock()
	return key
}
