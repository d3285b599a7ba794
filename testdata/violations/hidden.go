package violations

import (
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/elliptic"
	"io"
	"path/filepath"
	"reflect"
	"sync"
)

// Constructs that hide a banned effect behind an innocent-looking call.

func genericKeys[M ~map[string]int](m M) (out []string) {
	for k := range m { // want: map-range
		out = append(out, k)
	}
	return out
}

func syncMap(sm *sync.Map) {
	sm.Range(func(k, v any) bool { return true }) // want: map-range
}

func reflectKeys(m map[string]int) int {
	return len(reflect.ValueOf(m).MapKeys()) // want: map-range
}

func glob() ([]string, error) {
	return filepath.Glob("*.go") // want: os-io
}

func keys(r io.Reader) {
	_, _ = ecdh.X25519().GenerateKey(r)          // want: crypto-rand
	_, _ = ecdsa.GenerateKey(elliptic.P256(), r) // want: crypto-rand
}
