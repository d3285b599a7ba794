package host_test

import (
	"context"
	"fmt"

	"github.com/gogarage/garage/node/host"
	"github.com/gogarage/garage/node/rt"
)

// Two nodes on loopback: one serves an endpoint, the other calls it.
func Example() {
	a, err := host.NewNet(host.NetConfig{ID: "a", Listen: "127.0.0.1:0"})
	if err != nil {
		panic(err)
	}
	defer a.Close()
	b, err := host.NewNet(host.NetConfig{ID: "b", Listen: "127.0.0.1:0"})
	if err != nil {
		panic(err)
	}
	defer b.Close()
	b.Handle("greet", func(_ context.Context, from rt.NodeID, req []byte) ([]byte, error) {
		return fmt.Appendf(nil, "hello %s, you said %q", from, req), nil
	})
	a.AddPeer("b", b.Addr())
	reply, err := a.Call(context.Background(), "b", "greet", []byte("hi"), rt.CallOpts{Prio: rt.PrioHigh})
	fmt.Println(string(reply), err)
	_, err = a.Call(context.Background(), "b", "nope", nil, rt.CallOpts{})
	fmt.Println(err)
	// Output:
	// hello a, you said "hi" <nil>
	// call b nope: rpc: no handler for endpoint
}
