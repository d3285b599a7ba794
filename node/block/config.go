package block

import (
	"errors"
	"fmt"
	"time"

	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/node/table"
)

// Defaults of Config, as in Garage where it has them.
const (
	DefaultBlockSize         = 1 << 20
	DefaultCompression       = 1
	DefaultRAMBufferMax      = 256 << 20
	DefaultResyncWorkers     = 1
	MaxResyncWorkers         = 8
	DefaultResyncTranquility = 2
	DefaultScrubTranquility  = 4
	DefaultGCDelay           = 10 * time.Minute
	DefaultRetryDelay        = time.Minute
	DefaultMaxRetryDelay     = time.Hour
	DefaultReadTimeout       = 10 * time.Second
	DefaultWriteTimeout      = time.Minute
	DefaultNewRefDelay       = 2 * time.Minute
	DefaultScrubInterval     = 30 * 24 * time.Hour
)

// CompressionOff is the Compression value that stores blocks as they are
// (garage.toml: compression_level = "none").
const CompressionOff = -1

// Config tunes a Manager. The zero value with one Dir is Garage's default
// configuration: zero numbers and durations take the defaults above.
type Config struct {
	// Dirs are the data directories; at least one must be writable.
	Dirs []Dir
	// BlockSize is the size objects are cut into (callers cut; the manager
	// accepts blocks up to this size).
	BlockSize int
	// Compression is the zstd level blocks are compressed with: 0 means
	// DefaultCompression (1), CompressionOff stores plain blocks, 1 to 22
	// are zstd levels. A compressed block is kept only when smaller.
	Compression int
	// RAMBufferMax bounds the bytes of blocks being sent by Put (until
	// every replica answered): writers wait beyond it.
	RAMBufferMax int64
	// Fsync syncs every block file before it is acknowledged (data_fsync).
	Fsync bool
	// ResyncWorkers is the number of resync workers (1 to 8, changeable at
	// run time with SetResyncWorkers).
	ResyncWorkers int
	// ResyncTranquility and ScrubTranquility make the workers sleep that
	// many times the duration of each item after it; negative means no
	// sleep, zero the default.
	ResyncTranquility int
	ScrubTranquility  int
	// GCDelay is how long a block whose reference count fell to zero stays
	// before it is deleted (Garage: 10 min).
	GCDelay time.Duration
	// RetryDelay is the first delay before a failed resync is retried; it
	// doubles at each failure up to MaxRetryDelay.
	RetryDelay    time.Duration
	MaxRetryDelay time.Duration
	// ReadTimeout bounds the wait for one node during a read before the
	// next one is tried; WriteTimeout bounds each block sent.
	ReadTimeout  time.Duration
	WriteTimeout time.Duration
	// NewRefDelay is how long after a block gained its first reference the
	// node checks that it holds it (the Put that stores it is normally
	// done by then).
	NewRefDelay time.Duration
	// ScrubInterval is the time between the starts of two scrubs.
	ScrubInterval time.Duration
	// Mode gives the write quorum of Put (table.Mode.Quorums).
	Mode table.Mode
	// NoVerify serves blocks without checking that they hash to their
	// name: a negative control (a corrupt file is then returned as data),
	// never set in production.
	NoVerify bool
}

// Dir is one data directory.
type Dir struct {
	Files rt.Files
	// Capacity weighs the share of new blocks the directory receives.
	Capacity uint64
	// ReadOnly directories are read (and scrubbed) but never written.
	ReadOnly bool
}

// ErrConfig wraps the errors of an unusable configuration.
var ErrConfig = errors.New("block: bad configuration")

func (c Config) withDefaults() (Config, error) {
	c.BlockSize = orInt(c.BlockSize, DefaultBlockSize)
	c.Compression = orInt(c.Compression, DefaultCompression)
	if c.RAMBufferMax <= 0 {
		c.RAMBufferMax = DefaultRAMBufferMax
	}
	c.ResyncWorkers = min(orInt(c.ResyncWorkers, DefaultResyncWorkers), MaxResyncWorkers)
	c.ResyncTranquility = orInt(c.ResyncTranquility, DefaultResyncTranquility)
	c.ScrubTranquility = orInt(c.ScrubTranquility, DefaultScrubTranquility)
	c.GCDelay = orDur(c.GCDelay, DefaultGCDelay)
	c.RetryDelay = orDur(c.RetryDelay, DefaultRetryDelay)
	c.MaxRetryDelay = orDur(c.MaxRetryDelay, DefaultMaxRetryDelay)
	c.ReadTimeout = orDur(c.ReadTimeout, DefaultReadTimeout)
	c.WriteTimeout = orDur(c.WriteTimeout, DefaultWriteTimeout)
	c.NewRefDelay = orDur(c.NewRefDelay, DefaultNewRefDelay)
	c.ScrubInterval = orDur(c.ScrubInterval, DefaultScrubInterval)
	return c, c.check()
}

func (c Config) check() error {
	if c.Compression > 22 || c.Compression < CompressionOff {
		return fmt.Errorf("%w: compression level %d (want 1 to 22, or off)", ErrConfig, c.Compression)
	}
	writable := 0
	for i, d := range c.Dirs {
		if d.Files == nil {
			return fmt.Errorf("%w: data directory %d has no files", ErrConfig, i)
		}
		if !d.ReadOnly && d.Capacity > 0 {
			writable++
		}
	}
	if writable == 0 {
		return fmt.Errorf("%w: no writable data directory with a capacity", ErrConfig)
	}
	return nil
}

func orInt(v, dflt int) int {
	if v == 0 {
		return dflt
	}
	return v
}

func orDur(v, dflt time.Duration) time.Duration {
	if v <= 0 {
		return dflt
	}
	return v
}

// tranquility returns the sleep factor of a configured tranquility.
func tranquility(t int) int { return max(t, 0) }
