package crdt_test

import (
	"fmt"

	"github.com/gogarage/garage/node/crdt"
)

func ExampleNextTimestamp() {
	newest := uint64(1_700_000_005_000) // written by a node whose clock runs ahead
	now := uint64(1_700_000_000_000)    // our clock lags 5 s behind
	fmt.Println(crdt.NextTimestamp(now, newest) - newest)
	// Output: 1
}

func ExampleLWW() {
	r := crdt.NewLWW[crdt.String](1000, "v1")
	a := r.Update(2000, "from a")
	b := r.Update(2000, "from b") // concurrent, same millisecond
	fmt.Println(a.Merge(b).Value(), b.Merge(a).Value())
	// Output: from b from b
}

func ExampleLWWMap() {
	var perms crdt.LWWMap[crdt.String, crdt.Bool]
	perms = perms.Set(100, "key2", true).Set(100, "key1", true)
	other := perms.Set(150, "key1", false) // a revocation on another replica
	merged := perms.Merge(other)
	for k, v := range merged.All() {
		fmt.Println(k, v)
	}
	// Output:
	// key1 false
	// key2 true
}

func ExampleMap() {
	var seen crdt.Map[crdt.String, crdt.Max[crdt.Uint64]]
	a := seen.Put("node1", crdt.Max[crdt.Uint64]{V: 7})
	b := seen.Put("node1", crdt.Max[crdt.Uint64]{V: 5}).Put("node2", crdt.Max[crdt.Uint64]{V: 1})
	for k, v := range a.Merge(b).All() {
		fmt.Println(k, v.V)
	}
	// Output:
	// node1 7
	// node2 1
}

func ExampleDeletable() {
	v := crdt.Present(crdt.NewLWW[crdt.String](10, "object data"))
	later := crdt.Present(crdt.NewLWW[crdt.String](99, "a newer write"))
	merged := v.Merge(crdt.Deleted[crdt.LWW[crdt.String]]()).Merge(later)
	fmt.Println(merged.IsDeleted())
	// Output: true
}

func ExampleUnmarshal() {
	m := crdt.Map[crdt.String, crdt.Bool]{}.Put("b", true).Put("a", false)
	enc := crdt.Marshal(m)
	back, err := crdt.Unmarshal[crdt.Map[crdt.String, crdt.Bool]](enc)
	fmt.Printf("% x %v %v\n", enc, back.Keys(), err)
	// Output: 02 01 61 00 01 62 01 [a b] <nil>
}
