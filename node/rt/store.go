package rt

// KV is an ordered key-value store of named trees with serialisable
// transactions: the metadata engine. Real nodes use bbolt; the simulator an
// in-memory engine with a durable and a pending layer, where a crash loses
// what was committed but not yet synced.
type KV interface {
	// View runs fn in a read-only transaction.
	View(fn func(tx ReadTx) error) error
	// Update runs fn in a read-write transaction, committed atomically if fn
	// returns nil and discarded otherwise. Whether the commit is durable on
	// return depends on the engine's fsync setting; Sync forces it.
	Update(fn func(tx Tx) error) error
	// Sync makes every committed transaction durable.
	Sync() error
}

// ReadTx reads within a transaction. Slices it returns are valid only until
// the transaction ends; copy them to keep them.
type ReadTx interface {
	// Get returns the value of key in tree, or nil if there is none.
	Get(tree string, key []byte) ([]byte, error)
	// Scan calls fn for each key in [start, end) of tree in ascending order
	// (descending if reverse), until fn returns false. A nil start or end
	// leaves that side unbounded.
	Scan(tree string, start, end []byte, reverse bool, fn func(k, v []byte) bool) error
}

// Tx reads and writes within a read-write transaction. Trees are created on
// first write.
type Tx interface {
	ReadTx
	Put(tree string, key, value []byte) error
	Delete(tree string, key []byte) error
}

// Files stores whole files (data blocks) by slash-separated relative name.
type Files interface {
	// Write atomically creates or replaces name with data. If sync is true
	// the data is durable when Write returns; otherwise a crash may lose it.
	Write(name string, data []byte, sync bool) error
	// Read returns the content of name, or an error wrapping
	// fs.ErrNotExist.
	Read(name string) ([]byte, error)
	// Remove deletes name; removing a missing file is not an error.
	Remove(name string) error
	// List returns the names starting with prefix, sorted.
	List(prefix string) ([]string, error)
	// Stat describes the file name, or returns an error wrapping
	// fs.ErrNotExist if there is none (a name that is only a directory of
	// other files does not exist).
	Stat(name string) (FileInfo, error)
	// ListPage returns, sorted, at most limit names that start with prefix
	// and sort strictly after after, in the order of List (plain string
	// order of the full names); fewer than limit means there are no more.
	// after == "" starts at the first name. To page through a listing,
	// pass the last name of a page as the next page's after. limit must be
	// positive. A page costs about its own size plus the directories on
	// its way, never a walk of the whole store, so that scrubbing a large
	// store goes page by page.
	ListPage(prefix, after string, limit int) ([]string, error)
}

// PooledReader is implemented by Files that can read into recycled
// buffers. ReadPooled is Read, plus release, which gives the buffer back
// for a later read once the caller no longer uses the content or any
// slice of it; a caller that never calls release leaves the buffer to
// the garbage collector. Where a world has no pool, callers use Read.
type PooledReader interface {
	ReadPooled(name string) (content []byte, release func(), err error)
}

// FileInfo describes a stored file.
type FileInfo struct {
	Name string // as passed to Stat
	Size int64  // in bytes
}

// Faults is the failpoint hook. A driver passes nil when nothing is armed.
type Faults interface {
	// Eval reports whether the named point fires now and, if so, the value
	// it was armed with (an error to return, a delay, a marker).
	Eval(name string) (value any, fired bool)
}

// Fail evaluates the named failpoint on f (which may be nil). It returns the
// armed error when the point fires with an error value, a generic error
// naming the point when it fires with another value, and nil otherwise.
func Fail(f Faults, name string) error {
	if f == nil {
		return nil
	}
	v, ok := f.Eval(name)
	if !ok {
		return nil
	}
	if err, isErr := v.(error); isErr {
		return err
	}
	return &FailpointError{Name: name, Value: v}
}

// FailpointError is the error of a fired failpoint armed without an error.
type FailpointError struct {
	Name  string
	Value any
}

func (e *FailpointError) Error() string { return "failpoint " + e.Name + " fired" }
