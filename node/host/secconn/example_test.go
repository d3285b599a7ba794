package secconn_test

import (
	"bytes"
	"crypto/ed25519"
	"fmt"
	"io"
	"net"

	"github.com/gogarage/garage/node/host/secconn"
)

func Example() {
	secret, _ := secconn.ParseSecret("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
	clientKey := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{1}, 32))
	serverKey := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{2}, 32))
	a, b := net.Pipe()

	go func() {
		conn, _, err := secconn.Server(b, secret, serverKey)
		if err != nil {
			return
		}
		io.Copy(conn, conn) // echo
	}()
	conn, peer, err := secconn.Client(a, secret, clientKey, serverKey.Public().(ed25519.PublicKey))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer conn.Close()
	conn.Write([]byte("ping"))
	reply := make([]byte, 4)
	io.ReadFull(conn, reply)
	fmt.Println(peer.Equal(serverKey.Public()), string(reply))
	// Output: true ping
}

func ExampleParseSecret() {
	_, err := secconn.ParseSecret("abc")
	fmt.Println(err)
	// Output: rpc_secret has 3 characters: want 64 hex characters (32 bytes)
}
