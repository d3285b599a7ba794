package block

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/gogarage/garage/node/rt"
)

// RPC endpoints of the block manager.
const (
	EndpointPut  = "block/put"  // flags || hash || stored form -> empty
	EndpointGet  = "block/get"  // hash -> flags || stored form
	EndpointNeed = "block/need" // hash -> 1 if this node needs the block and lacks it
)

// flagCompressed marks a zstd stored form in messages.
const flagCompressed = 1

func (m *Manager) register() {
	m.env.Net.Handle(EndpointPut, m.handlePut)
	m.env.Net.Handle(EndpointGet, m.handleGet)
	m.env.Net.Handle(EndpointNeed, m.handleNeed)
}

func encodePut(h Hash, payload []byte, compressed bool) []byte {
	msg := make([]byte, 0, 1+len(h)+len(payload))
	msg = append(msg, flags(compressed))
	msg = append(msg, h[:]...)
	return append(msg, payload...)
}

func flags(compressed bool) byte {
	if compressed {
		return flagCompressed
	}
	return 0
}

// handlePut stores a block sent by a Put or an offload. The content is
// verified unless this node sent it to itself; a block already present is
// left as it is (see storeLocal).
func (m *Manager) handlePut(ctx context.Context, from rt.NodeID, req []byte) ([]byte, error) {
	if len(req) < 33 {
		return nil, fmt.Errorf("put block: message of %d bytes", len(req))
	}
	h, _ := hashOf(req[1:])
	// Capped: the trailer must not be appended into a network buffer.
	payload, compressed := req[33:len(req):len(req)], req[0]&flagCompressed != 0
	if from != m.env.ID {
		if _, err := m.st.decode(h, payload, compressed); err != nil {
			return nil, fmt.Errorf("put block from %s: %w", from.Short(), err)
		}
	}
	return nil, m.storeLocal(ctx, h, payload, compressed)
}

// storeLocal writes a verified block unless a file of it already exists;
// an existing block without references is kept GCDelay more, for the
// reference that the writer is about to add.
func (m *Manager) storeLocal(ctx context.Context, h Hash, payload []byte, compressed bool) error {
	unlock, err := m.lockHash(ctx, h)
	if err != nil {
		return err
	}
	defer unlock()
	has, err := m.st.has(h)
	if err != nil {
		return err
	}
	if has {
		return m.touch(h)
	}
	if err := m.st.write(ctx, h, payload, compressed); err != nil {
		return err
	}
	m.count(func(s *Stats) { s.BlocksWritten++; s.BytesWritten += uint64(len(payload)) })
	return nil
}

// handleGet serves a verified block from the local store.
func (m *Manager) handleGet(ctx context.Context, _ rt.NodeID, req []byte) ([]byte, error) {
	h, err := hashOf(req)
	if err != nil {
		return nil, err
	}
	r, err := m.readLocal(ctx, h, true)
	if err != nil {
		return nil, err
	}
	defer r.release()
	return append([]byte{flags(r.compressed)}, r.payload...), nil
}

// handleNeed answers whether this node needs h and lacks it (offload).
func (m *Manager) handleNeed(_ context.Context, _ rt.NodeID, req []byte) ([]byte, error) {
	h, err := hashOf(req)
	if err != nil {
		return nil, err
	}
	need, err := m.needs(h)
	if err != nil {
		return nil, err
	}
	if need {
		return []byte{1}, nil
	}
	return []byte{0}, nil
}

// needs reports whether this node should hold h and does not.
func (m *Manager) needs(h Hash) (bool, error) {
	rc, err := m.refCount(h)
	if err != nil || !rc.needed(m.nowMS()) || !m.holds(h) {
		return false, err
	}
	has, err := m.st.has(h)
	return !has, err
}

// readLocal reads h from this node's store (see store.read for pooled).
// Corrupt files met are set aside and the block queued for repair; a
// block this node should hold but lacks is queued too.
func (m *Manager) readLocal(ctx context.Context, h Hash, pooled bool) (readResult, error) {
	r, err := m.st.read(ctx, h, pooled)
	if r.corrupt > 0 {
		m.count(func(s *Stats) { s.Corrupt += uint64(r.corrupt) })
		m.env.Log.Warn("corrupt block file set aside", "block", h.String(), "files", r.corrupt)
		m.enqueueNow(h, "corrupt")
	} else if errors.Is(err, ErrNotFound) {
		if need, nerr := m.needs(h); nerr == nil && need {
			m.enqueueNow(h, "missing")
		}
	}
	return r, err
}

// decodeReply returns the plaintext of a get reply, verified.
func (m *Manager) decodeReply(h Hash, rep []byte) (payload, plain []byte, compressed bool, err error) {
	if len(rep) < 1 {
		return nil, nil, false, fmt.Errorf("get block %s: empty reply", h)
	}
	// Capped: the trailer must not be appended into a network buffer.
	payload, compressed = rep[1:len(rep):len(rep)], rep[0]&flagCompressed != 0
	plain, err = m.st.decode(h, payload, compressed)
	return payload, plain, compressed, err
}

// isNotFoundMsg reports whether a remote error's message is a missing
// block's.
func isNotFoundMsg(msg string) bool { return strings.Contains(msg, ErrNotFound.Error()) }
