package cluster

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/node/table"
)

// Defaults of Config.
const (
	DefaultPingInterval   = time.Second
	DefaultPingTimeout    = time.Second
	DefaultFailAfter      = 3
	DefaultIndirectChecks = 3
	DefaultGossipInterval = 200 * time.Millisecond
	DefaultGossipFanout   = 3
	DefaultStatusInterval = 10 * time.Second
	DefaultRPCTimeout     = 10 * time.Second
	DefaultForgetAfter    = 24 * time.Hour
)

// AddrBook records where peers listen. host.Net satisfies it; in the
// simulator it is nil, since every node id is directly callable.
type AddrBook interface {
	AddPeer(id rt.NodeID, addr string)
}

// Space is the free and total space a node reports, in bytes.
type Space struct {
	DataFree  uint64 `json:"data_free"`
	DataTotal uint64 `json:"data_total"`
	MetaFree  uint64 `json:"meta_free"`
	MetaTotal uint64 `json:"meta_total"`
}

// Config tunes a Cluster. The zero value (with a replication factor) is
// usable; zero durations and counts take the defaults above.
type Config struct {
	// Bootstrap lists peers as "<node id>@host:port".
	Bootstrap []string
	// Addr is the address this node advertises to its peers ("" if none).
	Addr string
	// AddrBook, if not nil, learns the address of every peer.
	AddrBook AddrBook
	// Hostname is reported in status exchanges.
	Hostname string
	// Space is the initial free space reported (see SetSpace).
	Space Space
	// Replication and PartitionBits make the empty history of a node that
	// has none persisted; they are fixed for the life of the cluster.
	Replication   int
	PartitionBits int
	// Mode is the consistency mode whose write quorum Health uses.
	Mode table.Mode
	// PingInterval is the period of probes: each one pings one peer, the
	// next of a random permutation of the peers, so that every peer is
	// probed once every len(peers) intervals. PingTimeout bounds a ping;
	// a peer that does not answer is pinged through IndirectChecks other
	// peers (each given 2 × PingTimeout), then suspected. A suspect that
	// does not refute within FailAfter × PingInterval × max(1, log10 n)
	// (SuspicionTimeout) is dead.
	PingInterval   time.Duration
	PingTimeout    time.Duration
	FailAfter      int
	IndirectChecks int
	// GossipInterval is the period at which pending rumors are sent to
	// GossipFanout random up peers (nothing is sent without rumors).
	GossipInterval time.Duration
	GossipFanout   int
	// StatusInterval is the period of status exchanges, each with one
	// random up peer.
	StatusInterval time.Duration
	// RPCTimeout bounds status and layout exchanges.
	RPCTimeout time.Duration
	// ForgetAfter is how long a peer that no live layout version names
	// may stay down before it is forgotten.
	ForgetAfter time.Duration
	// AutoSync marks this node synced to a new layout version as soon as
	// syncing may start, for use before tables call SyncDone themselves.
	AutoSync bool
}

func (c Config) withDefaults() Config {
	c.PingInterval = orDefault(c.PingInterval, DefaultPingInterval)
	c.PingTimeout = orDefault(c.PingTimeout, DefaultPingTimeout)
	c.StatusInterval = orDefault(c.StatusInterval, DefaultStatusInterval)
	c.RPCTimeout = orDefault(c.RPCTimeout, DefaultRPCTimeout)
	c.GossipInterval = orDefault(c.GossipInterval, DefaultGossipInterval)
	c.ForgetAfter = orDefault(c.ForgetAfter, DefaultForgetAfter)
	c.FailAfter = orDefaultInt(c.FailAfter, DefaultFailAfter)
	c.IndirectChecks = orDefaultInt(c.IndirectChecks, DefaultIndirectChecks)
	c.GossipFanout = orDefaultInt(c.GossipFanout, DefaultGossipFanout)
	if c.PartitionBits == 0 {
		c.PartitionBits = layout.DefaultPartitionBits
	}
	return c
}

func orDefault(d, dflt time.Duration) time.Duration {
	if d <= 0 {
		return dflt
	}
	return d
}

func orDefaultInt(n, dflt int) int {
	if n <= 0 {
		return dflt
	}
	return n
}

// PeerInfo is a peer's id and the address it listens on.
type PeerInfo struct {
	ID   rt.NodeID `json:"id"`
	Addr string    `json:"addr,omitempty"`
}

func (p PeerInfo) String() string { return string(p.ID) + "@" + p.Addr }

// ErrBadPeer is a peer string that is not "<node id>@host:port".
var ErrBadPeer = errors.New("invalid peer")

// ParsePeer parses "<node id>@host:port". The id must be non-empty and free
// of '@'; the port a decimal in [1, 65535]; the host non-empty (IPv6 hosts
// in brackets).
func ParsePeer(s string) (PeerInfo, error) {
	id, addr, ok := strings.Cut(s, "@")
	if !ok || id == "" {
		return PeerInfo{}, fmt.Errorf("%w %q: want <node id>@host:port", ErrBadPeer, s)
	}
	if err := checkHostPort(addr); err != nil {
		return PeerInfo{}, fmt.Errorf("%w %q: %w", ErrBadPeer, s, err)
	}
	return PeerInfo{ID: rt.NodeID(id), Addr: addr}, nil
}

func checkHostPort(addr string) error {
	i := strings.LastIndexByte(addr, ':')
	if i < 0 {
		return errors.New("missing port")
	}
	host, port := addr[:i], addr[i+1:]
	if strings.Contains(host, ":") && !(strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]")) {
		return errors.New("IPv6 host must be in brackets")
	}
	if host == "" || host == "[]" || strings.ContainsAny(host, "@ ") {
		return fmt.Errorf("bad host %q", host)
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 1 || n > 65535 || strconv.Itoa(n) != port {
		return fmt.Errorf("bad port %q", port)
	}
	return nil
}

// ParsePeers parses every string with ParsePeer and returns the peers sorted
// by id, one per id (the last string naming an id wins).
func ParsePeers(ss []string) ([]PeerInfo, error) {
	byID := map[rt.NodeID]PeerInfo{}
	for _, s := range ss {
		p, err := ParsePeer(strings.TrimSpace(s))
		if err != nil {
			return nil, err
		}
		byID[p.ID] = p
	}
	out := make([]PeerInfo, 0, len(byID))
	for _, id := range sortedKeys(byID) {
		out = append(out, byID[id])
	}
	return out, nil
}

func sortedKeys[V any](m map[rt.NodeID]V) []rt.NodeID {
	out := make([]rt.NodeID, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
