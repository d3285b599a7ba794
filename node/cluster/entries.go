package cluster

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"slices"
	"time"

	"github.com/gogarage/garage/node/rt"
)

// stamp is the version of one node's record in a status digest: the
// owner's status version and the sender's belief about its liveness.
type stamp struct {
	ID   rt.NodeID `json:"i"`
	Ver  uint64    `json:"v,omitempty"`
	Live Liveness  `json:"l"`
}

// entry is one node's record as gossiped: its address, the sender's
// belief about its liveness (with, for a node not up, how long the sender
// has believed so), and the newest status of it the sender holds.
type entry struct {
	ID      rt.NodeID     `json:"id"`
	Addr    string        `json:"addr,omitempty"`
	Live    Liveness      `json:"live"`
	DownFor time.Duration `json:"down_for,omitempty"`
	Ver     uint64        `json:"ver,omitempty"`
	Status  *NodeStatus   `json:"status,omitempty"`
}

// sumOf returns the digest of stamps sorted by id: equal sums mean the
// two nodes hold the same versions of every record.
func sumOf(ss []stamp) Digest {
	h := sha256.New()
	var b []byte
	for _, s := range ss {
		b = append(b[:0], s.ID...)
		b = append(b, 0)
		b = binary.AppendUvarint(b, s.Ver)
		b = binary.AppendUvarint(b, s.Live.Inc)
		b = append(b, byte(s.Live.State))
		h.Write(b)
	}
	var d Digest
	h.Sum(d[:0])
	return d
}

// diffStamps compares two stamp lists sorted by id and returns the ids
// whose record mine holds newer (a newer status or a superseding belief,
// or theirs lacks it) and those theirs holds newer. An id may be in both.
func diffStamps(mine, theirs []stamp) (give, want []rt.NodeID) {
	i, j := 0, 0
	for i < len(mine) || j < len(theirs) {
		switch {
		case j == len(theirs) || (i < len(mine) && mine[i].ID < theirs[j].ID):
			give = append(give, mine[i].ID)
			i++
		case i == len(mine) || theirs[j].ID < mine[i].ID:
			want = append(want, theirs[j].ID)
			j++
		default:
			m, t := mine[i], theirs[j]
			if m.Ver > t.Ver || m.Live.Supersedes(t.Live) {
				give = append(give, m.ID)
			}
			if t.Ver > m.Ver || t.Live.Supersedes(m.Live) {
				want = append(want, m.ID)
			}
			i, j = i+1, j+1
		}
	}
	return give, want
}

// statusVersion orders the statuses of one node across its restarts: the
// incarnation (raised at every boot) first, then a counter.
func statusVersion(inc, seq uint64) uint64 { return inc<<32 | seq&(1<<32-1) }

// refreshSelf publishes this node's status under a new version if it
// changed since it was last published.
func (c *Cluster) refreshSelf() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.refreshSelfLocked()
}

func (c *Cluster) refreshSelfLocked() {
	if st := c.selfStatusLocked(); c.statusSeq == 0 || !st.Equal(c.published) {
		c.published = st
		c.statusSeq++
		c.sumOK = false
	}
}

// selfStatusLocked returns this node's status as it is now.
func (c *Cluster) selfStatusLocked() NodeStatus {
	st := NodeStatus{ID: c.self, Addr: c.cfg.Addr, Hostname: c.cfg.Hostname,
		LayoutVersion: c.hist.Current().Number, LayoutDigest: c.digest, Space: c.space}
	if r, ok := c.hist.Current().Role(c.self); ok {
		st.Role = &r
	}
	return st
}

// stampsLocked returns the stamps of this node, of every peer someone
// vouched for, and of every forgotten node (as left), sorted by id.
func (c *Cluster) stampsLocked() []stamp {
	out := make([]stamp, 0, len(c.ids)+len(c.tombs)+1)
	out = append(out, stamp{ID: c.self, Ver: statusVersion(c.inc, c.statusSeq), Live: c.selfLive()})
	for _, id := range c.ids {
		if p := c.peers[id]; p.live.State != StateUnknown {
			out = append(out, stamp{ID: id, Ver: p.statusVer, Live: p.live})
		}
	}
	for _, id := range sortedKeys(c.tombs) {
		out = append(out, stamp{ID: id, Live: c.tombs[id].live()})
	}
	slices.SortFunc(out, compareStamps)
	return out
}

func (c *Cluster) selfLive() Liveness { return Liveness{Inc: c.inc, State: StateAlive} }

// entriesLocked returns the records of ids this node holds.
func (c *Cluster) entriesLocked(ids []rt.NodeID) []entry {
	now := c.env.Clock.Mono()
	out := make([]entry, 0, len(ids))
	for _, id := range ids {
		if id == c.self {
			st := c.published
			out = append(out, entry{ID: id, Addr: c.cfg.Addr, Live: c.selfLive(),
				Ver: statusVersion(c.inc, c.statusSeq), Status: &st})
			continue
		}
		if t, ok := c.tombs[id]; ok {
			out = append(out, entry{ID: id, Live: t.live()})
			continue
		}
		p := c.peers[id]
		if p == nil || p.live.State == StateUnknown {
			continue
		}
		e := entry{ID: id, Addr: p.info.Addr, Live: p.live, Ver: p.statusVer}
		if p.statusVer > 0 {
			st := p.status
			e.Status = &st
		}
		if !p.up() {
			e.DownFor = now - p.since
		}
		out = append(out, e)
	}
	return out
}

// exchange runs one status exchange with id: compare sums; if they
// differ, push the records this node holds newer and pull the others.
func (c *Cluster) exchange(ctx context.Context, id rt.NodeID) {
	req := statusReq{Msg: c.msgFor(id), Sum: c.sum()}
	start := c.env.Clock.Mono()
	rep, err := c.env.Net.Call(ctx, id, EndpointStatus, encode(req), c.statusCallOpts())
	if err != nil {
		c.env.Log.Debug("status exchange failed", "peer", id.Short(), "err", err)
		return
	}
	m, err := decode[statusRep](rep)
	if err != nil {
		c.env.Log.Warn("bad status reply", "peer", id.Short(), "err", err)
		return
	}
	var rtt time.Duration
	if m.Same { // a small reply: its round trip is a fair RTT sample
		rtt = c.env.Clock.Mono() - start
	}
	c.hear(id, m.Msg, rtt)
	if !m.Same {
		c.syncWith(ctx, id, m.Stamps)
	}
}

// syncWith pushes to id the records this node holds newer than stamps and
// pulls those it holds older.
func (c *Cluster) syncWith(ctx context.Context, id rt.NodeID, theirs []stamp) {
	slices.SortFunc(theirs, compareStamps)
	c.mu.Lock()
	give, want := diffStamps(c.stampsLocked(), theirs)
	req := syncReq{Entries: c.entriesLocked(give), Want: want}
	c.mu.Unlock()
	if len(req.Entries) == 0 && len(req.Want) == 0 {
		return
	}
	rep, err := c.env.Net.Call(ctx, id, EndpointStatusSync, encode(req), c.statusCallOpts())
	if err != nil {
		c.env.Log.Debug("status sync failed", "peer", id.Short(), "err", err)
		return
	}
	m, err := decode[syncRep](rep)
	if err != nil {
		c.env.Log.Warn("bad status sync reply", "peer", id.Short(), "err", err)
		return
	}
	c.mergeEntries(m.Entries)
}

func (c *Cluster) statusCallOpts() rt.CallOpts {
	return rt.CallOpts{Timeout: c.cfg.RPCTimeout, Prio: rt.PrioHigh}
}

// sum returns the sum of this node's stamps.
func (c *Cluster) sum() Digest {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sumLocked()
}

// sumLocked returns the sum of this node's stamps, computed again only
// after a stamp changed (every change clears sumOK).
func (c *Cluster) sumLocked() Digest {
	if !c.sumOK {
		c.sumCache, c.sumOK = sumOf(c.stampsLocked()), true
	}
	return c.sumCache
}

func (c *Cluster) handleStatus(_ context.Context, from rt.NodeID, req []byte) ([]byte, error) {
	m, err := decode[statusReq](req)
	if err != nil {
		return nil, err
	}
	c.hear(from, m.Msg, 0)
	rep := statusRep{Msg: c.msgFor(from)}
	c.mu.Lock()
	if c.sumLocked() == m.Sum {
		rep.Same = true
	} else {
		rep.Stamps = c.stampsLocked()
	}
	c.mu.Unlock()
	return encode(rep), nil
}

func (c *Cluster) handleStatusSync(_ context.Context, _ rt.NodeID, req []byte) ([]byte, error) {
	m, err := decode[syncReq](req)
	if err != nil {
		return nil, err
	}
	c.mergeEntries(m.Entries)
	c.mu.Lock()
	rep := syncRep{Entries: c.entriesLocked(m.Want)}
	c.mu.Unlock()
	return encode(rep), nil
}

// mergeEntries merges records gossiped by a peer: beliefs by precedence,
// statuses by version. A newer status carries its owner's own address.
func (c *Cluster) mergeEntries(es []entry) {
	var fx effects
	c.mu.Lock()
	for _, e := range es {
		c.observeLocked(update{ID: e.ID, Addr: e.Addr, Live: e.Live}, fromSync, e.DownFor, &fx)
		p := c.peers[e.ID]
		if p == nil || e.Status == nil || e.Ver <= p.statusVer {
			continue
		}
		p.status, p.statusVer = *e.Status, e.Ver
		c.sumOK = false
		p.status.ID = e.ID
		c.setAddrLocked(p, e.Status.Addr, true, &fx)
	}
	c.mu.Unlock()
	c.after(fx)
}

// statusTarget picks the peer of the next status exchange: a random up
// peer, or if none is up, any peer not forgotten.
func (c *Cluster) statusTarget() (rt.NodeID, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if ids := c.randomUpLocked(1, ""); len(ids) == 1 {
		return ids[0], true
	}
	if len(c.ids) == 0 {
		return "", false
	}
	return c.ids[c.env.Rand.IntN(len(c.ids))], true
}

// compareStamps orders stamps by id.
func compareStamps(a, b stamp) int { return cmp.Compare(a.ID, b.ID) }
