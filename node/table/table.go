package table

import (
	"sync"
	"time"

	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/node/table/merkle"
	"golang.org/x/crypto/blake2b"
)

// Config tunes a Table. Zero fields take the defaults named.
type Config struct {
	// PartitionBits splits the table into 2^PartitionBits Merkle tries
	// (layout.DefaultPartitionBits if zero). It must be at least the
	// Bits of every Sharding the layout returns, and equal on every node.
	PartitionBits int
	// Timeout bounds each quorum RPC (5 s).
	Timeout time.Duration
	// SyncTimeout bounds each background RPC: Merkle nodes, pushed and
	// pulled batches, GC (30 s).
	SyncTimeout time.Duration
	// SyncInterval is the period of full anti-entropy passes (10 min).
	SyncInterval time.Duration
	// SyncRetry is the wait before a failed pass is retried (10 s).
	SyncRetry time.Duration
	// LayoutPoll is how often the sync worker looks for a layout change,
	// which starts a pass at once (1 s). If its Layout tells of changes
	// (LayoutNotifier), it waits for them instead, and LayoutPoll is the
	// least time between two passes for layout changes.
	LayoutPoll time.Duration
	// MerkleDelay is how long the Merkle updater, once woken, lets the
	// todo queue fill before it applies it (1 s), so that a burst of
	// writes costs one pass and writes of a hot key collapse into one trie
	// update. The tries serve anti-entropy only, and a sync pass drains
	// the queue before it compares them.
	MerkleDelay time.Duration
	// GCDelay is how long a tombstone stays before GC may collect it (24 h,
	// as in Garage).
	GCDelay time.Duration
	// GCInterval is the period of GC rounds (10 min).
	GCInterval time.Duration
	// SyncParallel is how many partitions anti-entropy reconciles with a
	// peer at once (8).
	SyncParallel int
	// Batch is the number of entries per background RPC (1000).
	Batch int
	// QueuePoll is how often the insert-queue worker looks at its queue
	// when nothing woke it (10 s): a fallback, since QueueInsert wakes it,
	// for a wake-up that came before the commit of the queued entry
	// (Garage's fallback is 10 min).
	QueuePoll time.Duration
	// QueueRetry is the first wait after a failed flush of the insert
	// queue (1 s); it doubles at each failure up to QueueRetryMax (1 min).
	QueueRetry    time.Duration
	QueueRetryMax time.Duration
	// NoWorkers starts no background task: no Merkle updates (the todo
	// queue grows), no anti-entropy, no GC, no insert-queue flushes. For
	// benchmarks of the data path and for tests that drive the workers by
	// hand (Drain, SyncOnce, CollectOnce, FlushQueue).
	NoWorkers bool
}

func (o Config) withDefaults() Config {
	def := func(d *time.Duration, v time.Duration) {
		if *d == 0 {
			*d = v
		}
	}
	if o.PartitionBits == 0 {
		o.PartitionBits = layout.DefaultPartitionBits
	}
	def(&o.Timeout, 5*time.Second)
	def(&o.SyncTimeout, 30*time.Second)
	def(&o.SyncInterval, 10*time.Minute)
	def(&o.SyncRetry, 10*time.Second)
	def(&o.LayoutPoll, time.Second)
	def(&o.MerkleDelay, time.Second)
	def(&o.GCDelay, 24*time.Hour)
	def(&o.GCInterval, 10*time.Minute)
	def(&o.QueuePoll, 10*time.Second)
	def(&o.QueueRetry, time.Second)
	def(&o.QueueRetryMax, time.Minute)
	if o.SyncParallel == 0 {
		o.SyncParallel = 8
	}
	if o.Batch == 0 {
		o.Batch = 1000
	}
	return o
}

// trees names the KV trees of one table.
type trees struct {
	data, todo, merkle, gc, queue string
}

// Table is one node's part of a replicated table of entries E: it serves
// its local replica over RPC, coordinates quorum reads and writes, and runs
// the background workers that keep replicas equal (Merkle updater,
// anti-entropy and offload, tombstone GC).
type Table[E Entry[E]] struct {
	env    rt.Env
	schema Schema[E]
	lay    Layout
	opts   Config
	trees  trees
	trie   merkle.Trie
	ep     endpoints

	mu    rt.Mutex
	kick  rt.Event // set when the Merkle todo queue gets work
	qkick rt.Event // set when the insert queue gets work

	workers Workers // statistics of the background workers, under mu
	hashes  hashMemo
	hashed  HashedReplication // lay, if it places keys by hash
	hedger  ReadHedger        // lay, if reads ask a quorum first
	// notifier is lay, if it tells of layout changes.
	notifier LayoutNotifier
}

// Open creates the table of schema on the node env belongs to, with
// placement from lay, registers its RPC handlers and (unless
// opts.NoWorkers) spawns its background workers.
func Open[E Entry[E]](env rt.Env, schema Schema[E], lay Layout, opts Config) *Table[E] {
	name := schema.Name()
	t := &Table[E]{env: env, schema: schema, lay: lay, opts: opts.withDefaults(),
		trees: trees{data: name, todo: name + "/merkle_todo", merkle: name + "/merkle", gc: name + "/gc_todo",
			queue: name + "/insert_queue"},
		ep: endpointsOf(name), mu: env.Tasks.NewMutex(), kick: env.Tasks.NewEvent(), qkick: env.Tasks.NewEvent()}
	t.trie = merkle.Trie{Tree: t.trees.merkle}
	t.hashed, _ = lay.(HashedReplication)
	t.hedger, _ = lay.(ReadHedger)
	t.notifier, _ = lay.(LayoutNotifier)
	t.register()
	if !t.opts.NoWorkers {
		env.Tasks.Spawn("table-merkle-"+name, t.merkleLoop)
		env.Tasks.Spawn("table-sync-"+name, t.syncLoop)
		env.Tasks.Spawn("table-gc-"+name, t.gcLoop)
		env.Tasks.Spawn("table-queue-"+name, t.queueLoop)
	}
	return t
}

// Key returns the KV key of the entry (pk, sk): BLAKE2b-256(pk) || sk, so
// that the entries of a partition key are contiguous and those of a
// partition too.
func Key(pk, sk []byte) []byte {
	h := blake2b.Sum256(pk)
	return append(h[:], sk...)
}

// hashMemo memoises BLAKE2b-256 of a table's recent partition keys: an
// operation hashes its partition key on the coordinator and on every
// replica, and a hot key again at each operation. It is bounded (cleared
// when full) and keeps short keys only.
type hashMemo struct {
	mu sync.Mutex // never held across a blocking call
	m  map[string][32]byte
}

const (
	maxPartHashes  = 4096 // entries of a hashMemo
	maxMemoKeySize = 256  // longest partition key a hashMemo keeps
)

// sum returns BLAKE2b-256 of pk.
func (hm *hashMemo) sum(pk []byte) [32]byte {
	if len(pk) > maxMemoKeySize {
		return blake2b.Sum256(pk)
	}
	hm.mu.Lock()
	h, ok := hm.m[string(pk)]
	hm.mu.Unlock()
	if ok {
		return h
	}
	h = blake2b.Sum256(pk)
	hm.mu.Lock()
	if len(hm.m) >= maxPartHashes || hm.m == nil {
		hm.m = make(map[string][32]byte) // grows with use: most tables see few keys
	}
	hm.m[string(pk)] = h
	hm.mu.Unlock()
	return h
}

// key is Key, with the partition key's hash memoised.
func (t *Table[E]) key(pk, sk []byte) []byte {
	h := t.hashes.sum(pk)
	return append(h[:], sk...)
}

// keyAndHash is key, also returning the partition key's hash (for the
// placement).
func (t *Table[E]) keyAndHash(pk, sk []byte) ([]byte, [32]byte) {
	h := t.hashes.sum(pk)
	return append(h[:], sk...), h
}

// keyOf is the KV key of e.
func (t *Table[E]) keyOf(e E) []byte { return t.key(e.PartitionKey(), e.SortKey()) }

// partOf returns the Merkle partition of KV key k.
func (t *Table[E]) partOf(k []byte) uint16 {
	return uint16(layout.PartitionOf(layout.Hash(k[:32]), t.opts.PartitionBits))
}

// partitions returns the number of Merkle partitions.
func (t *Table[E]) partitions() int { return 1 << t.opts.PartitionBits }

// partRange returns the KV key range [start, end) of Merkle partition p
// (end nil for the last one).
func (t *Table[E]) partRange(p int) (start, end []byte) {
	first := layout.FirstHash(layout.Partition(p), t.opts.PartitionBits)
	start = first[:]
	if p+1 < t.partitions() {
		next := layout.FirstHash(layout.Partition(p+1), t.opts.PartitionBits)
		end = next[:]
	}
	return start, end
}

func (t *Table[E]) callOpts() rt.CallOpts {
	return rt.CallOpts{Timeout: t.opts.Timeout, Prio: rt.PrioNormal}
}

func (t *Table[E]) bgOpts() rt.CallOpts {
	return rt.CallOpts{Timeout: t.opts.SyncTimeout, Prio: rt.PrioBackground}
}
