package cluster

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/gogarage/garage/node/rt"
)

// RPC endpoints of the cluster protocol.
const (
	EndpointPing       = "cluster/ping"
	EndpointPingReq    = "cluster/ping-req"
	EndpointStatus     = "cluster/status"
	EndpointStatusSync = "cluster/status/sync"
	EndpointLayoutPull = "cluster/layout/pull"
	EndpointLayoutPush = "cluster/layout/push"
)

// KV tree and keys of the persisted state.
const (
	Tree           = "cluster"
	keyLayout      = "layout"
	keyPeers       = "peers"
	keyIncarnation = "incarnation"
)

// Digest is the SHA-256 of a layout history's canonical encoding: equal
// digests mean equal histories. Status digests (sums of stamps) use it too.
type Digest [32]byte

func digestOf(enc []byte) Digest { return sha256.Sum256(enc) }

// String returns the first 8 bytes in hex.
func (d Digest) String() string { return hex.EncodeToString(d[:8]) }

// MarshalText encodes d in hex.
func (d Digest) MarshalText() ([]byte, error) { return []byte(hex.EncodeToString(d[:])), nil }

// UnmarshalText decodes a hex digest.
func (d *Digest) UnmarshalText(b []byte) error {
	n, err := hex.Decode(d[:], b)
	if err != nil || n != len(d) {
		return fmt.Errorf("bad layout digest %q", b)
	}
	return nil
}

// swimMsg is a ping, an ack, and the header of every membership message:
// the sender's incarnation and address (the sender vouches for itself),
// its layout digest (a differing one starts a layout reconciliation), the
// sender's belief about the receiver (so that a suspected receiver
// refutes at once), and piggybacked rumors.
type swimMsg struct {
	Inc     uint64    `json:"inc"`
	Addr    string    `json:"addr,omitempty"`
	Layout  Digest    `json:"layout"`
	You     *Liveness `json:"you,omitempty"`
	Updates []update  `json:"updates,omitempty"`
}

// pingReq asks its receiver to ping Target on the sender's behalf; the
// reply is the receiver's ack if Target answered, an error otherwise.
type pingReq struct {
	Target rt.NodeID `json:"target"`
	Msg    swimMsg   `json:"msg"`
}

// statusReq opens a status exchange with the sum of the sender's stamps.
type statusReq struct {
	Msg swimMsg `json:"msg"`
	Sum Digest  `json:"sum"`
}

// statusRep answers a statusReq: Same if the sums are equal, otherwise the
// receiver's stamps.
type statusRep struct {
	Msg    swimMsg `json:"msg"`
	Same   bool    `json:"same,omitempty"`
	Stamps []stamp `json:"stamps,omitempty"`
}

// syncReq pushes the entries the sender holds newer and asks for the ones
// it holds older or lacks; the reply is a syncRep with those.
type syncReq struct {
	Entries []entry     `json:"entries,omitempty"`
	Want    []rt.NodeID `json:"want,omitempty"`
}

type syncRep struct {
	Entries []entry `json:"entries,omitempty"`
}

// encode marshals a message of the protocol; they always marshal. The
// frequent ones take the hand-written path of swimcodec.go, which writes
// the same bytes.
func encode(v any) []byte {
	if b, ok := encodeFast(v); ok {
		return b
	}
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("encode %T: %v", v, err))
	}
	return b
}

// decode unmarshals a message of the protocol, the frequent ones in their
// canonical form through the hand-written path of swimcodec.go.
func decode[T any](b []byte) (T, error) {
	var v T
	if decodeFast(b, &v) {
		return v, nil
	}
	var zero T // the fast path may have filled part of v
	v = zero
	if err := json.Unmarshal(b, &v); err != nil {
		return v, fmt.Errorf("decode %T: %w", v, err)
	}
	return v, nil
}

func encodePeers(ps []PeerInfo) []byte { return encode(ps) }

func decodePeers(b []byte) ([]PeerInfo, error) { return decode[[]PeerInfo](b) }
