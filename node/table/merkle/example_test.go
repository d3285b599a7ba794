package merkle

import "fmt"

// ExampleDiff builds the tries of two replicas that differ on two items
// and finds them by comparing hashes level by level.
func ExampleDiff() {
	local, remote := memTx{}, memTx{}
	v1, v2 := Sum([]byte("v1")), Sum([]byte("v2"))
	for _, k := range []string{"a", "b", "c", "d"} {
		_ = trie.Update(local, 0, []byte(k), &v1)
		_ = trie.Update(remote, 0, []byte(k), &v1)
	}
	_ = trie.Update(local, 0, []byte("e"), &v1)  // only local has e
	_ = trie.Update(remote, 0, []byte("b"), &v2) // b differs
	fetch := func(tx memTx) Fetch {
		return func(prefixes [][]byte) ([]Node, error) {
			out := make([]Node, len(prefixes))
			for i, p := range prefixes {
				out[i], _ = trie.Get(tx, 0, p)
			}
			return out, nil
		}
	}
	push, pull, _ := Diff(fetch(local), fetch(remote))
	fmt.Printf("push %q, pull %q\n", push, pull)
	// Output: push ["b" "e"], pull ["b"]
}
