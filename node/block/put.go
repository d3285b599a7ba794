package block

import (
	"context"
	"errors"
	"fmt"

	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/node/table"
)

// ErrTooLarge is a block larger than the configured block size.
var ErrTooLarge = errors.New("block larger than block_size")

// Put stores one block, data (at most BlockSize bytes), whose hash h the
// caller computed with Sum: the object layer hashes each block once, for
// its name in the version, its reference and its file. It compresses the
// block once, takes its stored size from the RAM buffer (waiting while
// the buffer is full), sends it to every node of every live layout
// version of its partition, and returns once a write quorum of each
// version stored it; the other writes go on in the background and the
// buffer is given back when they all ended. Storing a block already
// stored costs the transfer and no space. Other nodes check h on
// receipt, and reject a wrong one. This node trusts it for its own copy:
// the file's trailer is computed over h and data as given, so local reads
// (which check the trailer) would not see a wrong h; the scrub, which
// checks the content's hash, would, and replaces the file.
func (m *Manager) Put(ctx context.Context, h Hash, data []byte) error {
	return m.PutThen(ctx, h, data, nil)
}

// PutThen is Put, and then calls free (when not nil), once, when no write
// of the block refers to data any more, so that the caller may reuse its
// buffer: the writes that go on after the quorum (and this node's own,
// which writes data itself) may outlive the call. free is not called
// when the put failed before it started any write; the buffer is then
// left to the garbage collector.
func (m *Manager) PutThen(ctx context.Context, h Hash, data []byte, free func()) error {
	if len(data) > m.cfg.BlockSize {
		return fmt.Errorf("put block %s: %d bytes: %w (%d)", h, len(data), ErrTooLarge, m.cfg.BlockSize)
	}
	payload, compressed := m.st.encode(data)
	if compressed && free != nil {
		free() // the writes send the compressed copy
		free = nil
	}
	if err := m.putStored(ctx, h, payload, compressed, rt.PrioNormal, free); err != nil {
		return fmt.Errorf("put block %s: %w", h, err)
	}
	return nil
}

// putStored sends a stored form to h's write sets under the RAM buffer,
// and calls free (if not nil) once every write ended.
func (m *Manager) putStored(ctx context.Context, h Hash, payload []byte, compressed bool, prio rt.Priority, free func()) error {
	sets := m.writeSets(h)
	if len(sets) == 0 || len(sets[0]) == 0 {
		return table.ErrNoLayout
	}
	held, err := m.buf.acquire(ctx, int64(len(payload)))
	if err != nil {
		return err
	}
	release := m.releaseAfter(held, countNodes(sets), free)
	var msg []byte // encoded for the first other node
	opts := rt.CallOpts{Timeout: m.cfg.WriteTimeout, Prio: prio}
	return table.WaitWriteSets(ctx, m.env.Tasks, sets, m.writeQuorum(),
		func(to rt.NodeID, done func(error)) {
			if to == m.env.ID {
				m.putLocal(h, payload, compressed, func(err error) {
					release()
					done(err)
				})
				return
			}
			if msg == nil {
				msg = encodePut(h, payload, compressed)
			}
			rt.StartCall(m.env.Tasks, m.env.Net, to, EndpointPut, msg, opts, func(_ []byte, err error) {
				release()
				done(err)
			})
		})
}

// putLocal stores a block of this node's own put in a new task, as the
// put endpoint would but without encoding a message and copying it
// through the network layer (a megabyte block costs a few copies less),
// under the same WriteTimeout, and passes the outcome to done.
func (m *Manager) putLocal(h Hash, payload []byte, compressed bool, done func(error)) {
	m.env.Tasks.Spawn("block-put-local", func(ctx context.Context) {
		ctx, cancel := m.env.Tasks.WithTimeout(ctx, m.cfg.WriteTimeout)
		err := m.storeLocal(ctx, h, payload, compressed)
		cancel()
		if err != nil {
			err = fmt.Errorf("local store: %w", err)
		}
		done(err)
	})
}

// releaseAfter returns a function that gives held bytes back to the RAM
// buffer, and calls free (if not nil), on its n-th call: when every write
// of a block ended.
func (m *Manager) releaseAfter(held int64, n int, free func()) func() {
	left := n
	mu := m.env.Tasks.NewMutex()
	return func() {
		mu.Lock()
		left--
		last := left == 0
		mu.Unlock()
		if last {
			m.buf.release(held)
			if free != nil {
				free()
			}
		}
	}
}

func countNodes(sets [][]rt.NodeID) int {
	seen := map[rt.NodeID]bool{}
	for _, set := range sets {
		for _, id := range set {
			seen[id] = true
		}
	}
	return len(seen)
}

// writeQuorum is W for the layout's replication factor and the mode.
func (m *Manager) writeQuorum() int { return m.lay.WriteQuorum() }

// Get returns the plaintext of block h, verified against its hash. It
// tries h's nodes one at a time (self, same zone, lowest RTT, then nodes
// of older live layout versions), moving on at an error, a corrupt reply
// or ReadTimeout. A corrupt local file is set aside and queued for
// repair. The error wraps ErrNotFound when no node had the block.
func (m *Manager) Get(ctx context.Context, h Hash) ([]byte, error) {
	data, _, err := m.get(ctx, h, false)
	return data, err
}

// GetOwned is Get for a caller that tells when it is done with the
// content: it calls release once it no longer uses data or any slice of
// it, and a local read may then reuse the buffer (rt.PooledReader). A
// caller that never calls release only forgoes the reuse.
func (m *Manager) GetOwned(ctx context.Context, h Hash) (data []byte, release func(), err error) {
	return m.get(ctx, h, true)
}

func (m *Manager) get(ctx context.Context, h Hash, pooled bool) ([]byte, func(), error) {
	nodes := m.readOrder(h)
	if len(nodes) == 0 {
		return nil, nil, fmt.Errorf("get block %s: %w", h, table.ErrNoLayout)
	}
	var errs []error
	for _, id := range nodes {
		data, release, err := m.getFrom(ctx, id, h, pooled)
		if err == nil {
			return data, release, nil
		}
		if ctx.Err() != nil {
			return nil, nil, fmt.Errorf("get block %s: %w", h, ctx.Err())
		}
		errs = append(errs, fmt.Errorf("%s: %w", id.Short(), err))
	}
	err := errors.Join(errs...)
	if allNotFound(errs) {
		err = fmt.Errorf("%w: %w", ErrNotFound, err)
	}
	return nil, nil, fmt.Errorf("get block %s: %w", h, err)
}

// getFrom reads h from one node (this one without the network); release
// is that of a pooled local read, a no-op otherwise.
func (m *Manager) getFrom(ctx context.Context, id rt.NodeID, h Hash, pooled bool) ([]byte, func(), error) {
	if id == m.env.ID {
		r, err := m.readLocal(ctx, h, pooled)
		return r.plain, r.release, err
	}
	_, plain, _, err := m.fetchFrom(ctx, id, h, rt.PrioNormal)
	return plain, func() {}, err
}

// fetchFrom asks node id for h and returns its reply's stored form and
// plaintext, verified.
func (m *Manager) fetchFrom(ctx context.Context, id rt.NodeID, h Hash, prio rt.Priority) (payload, plain []byte, compressed bool, err error) {
	rep, err := m.env.Net.Call(ctx, id, EndpointGet, h[:], rt.CallOpts{Timeout: m.cfg.ReadTimeout, Prio: prio})
	if err != nil {
		return nil, nil, false, err
	}
	return m.decodeReply(h, rep)
}

// allNotFound reports whether every error says the block was not there.
func allNotFound(errs []error) bool {
	for _, err := range errs {
		var re *rt.RemoteError
		if !errors.Is(err, ErrNotFound) && !(errors.As(err, &re) && isNotFoundMsg(re.Msg)) {
			return false
		}
	}
	return len(errs) > 0
}
