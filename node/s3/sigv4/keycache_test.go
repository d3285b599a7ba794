package sigv4

import (
	"bytes"
	"testing"
)

// TestKeyCache checks that cached keys are the derived ones for every
// secret and scope, including after the cache starts over.
func TestKeyCache(t *testing.T) {
	var c KeyCache
	scopes := []Scope{{"20261207", "garage", "s3"}, {"20261208", "garage", "s3"}, {"20261207", "other", "s3"}}
	for round := range 2 {
		for i := range maxCachedKeys + 10 {
			secret := string(rune('a' + i%26))
			if i >= 26 {
				secret += string(rune(i))
			}
			sc := scopes[i%len(scopes)]
			if got, want := c.key(secret, sc), SigningKey(secret, sc); !bytes.Equal(got, want) {
				t.Fatalf("round %d: key %d (%q, %v) differs from its derivation", round, i, secret, sc)
			}
		}
		if len(c.m) > maxCachedKeys {
			t.Fatalf("cache holds %d keys, bound %d", len(c.m), maxCachedKeys)
		}
	}
	var none *KeyCache
	if !bytes.Equal(none.key("s", scopes[0]), SigningKey("s", scopes[0])) {
		t.Fatal("a nil cache does not derive the key")
	}
}
