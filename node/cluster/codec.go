package cluster

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
)

// RPC endpoints of the cluster protocol.
const (
	EndpointPing       = "cluster/ping"
	EndpointStatus     = "cluster/status"
	EndpointLayoutPull = "cluster/layout/pull"
	EndpointLayoutPush = "cluster/layout/push"
)

// KV tree and keys of the persisted state.
const (
	Tree      = "cluster"
	keyLayout = "layout"
	keyPeers  = "peers"
)

// Digest is the SHA-256 of a layout history's canonical encoding: equal
// digests mean equal histories.
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

// statusMsg is the request and the reply of a status exchange: the
// sender's status, the digest of the peers it knows (itself included), and
// in a reply to a request with another digest, the peers themselves.
type statusMsg struct {
	Status      NodeStatus `json:"status"`
	PeersDigest Digest     `json:"peers_digest"`
	Peers       []PeerInfo `json:"peers,omitempty"`
}

// peersDigest returns the digest of a peer list sorted by id.
func peersDigest(ps []PeerInfo) Digest {
	h := sha256.New()
	for _, p := range ps {
		h.Write([]byte(p.String()))
		h.Write([]byte{0})
	}
	var d Digest
	h.Sum(d[:0])
	return d
}

func encodeStatus(m statusMsg) []byte {
	b, err := json.Marshal(m)
	if err != nil {
		panic(fmt.Sprintf("encode status %+v: %v", m, err))
	}
	return b
}

func decodeStatus(b []byte) (statusMsg, error) {
	var m statusMsg
	if err := json.Unmarshal(b, &m); err != nil {
		return statusMsg{}, fmt.Errorf("decode status: %w", err)
	}
	return m, nil
}

func encodePeers(ps []PeerInfo) []byte {
	b, err := json.Marshal(ps)
	if err != nil {
		panic(fmt.Sprintf("encode peers: %v", err))
	}
	return b
}

func decodePeers(b []byte) ([]PeerInfo, error) {
	var ps []PeerInfo
	if err := json.Unmarshal(b, &ps); err != nil {
		return nil, fmt.Errorf("decode peers: %w", err)
	}
	return ps, nil
}
