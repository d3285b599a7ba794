package object

import (
	"context"
	"errors"
	"time"

	"github.com/gogarage/garage/node/block"
	"github.com/gogarage/garage/node/crdt"
	"github.com/gogarage/garage/node/model"
	"github.com/gogarage/garage/node/rt"
)

// Defaults of Config.
const (
	DefaultInlineMax     = 3072
	DefaultPutParallel   = 3
	DefaultGetPrefetch   = 2
	DefaultUploadTimeout = 24 * time.Hour
	DefaultAbortInterval = 10 * time.Minute
	DefaultRepairRetry   = time.Minute
)

// Config tunes a Service. Zero fields take the defaults above.
type Config struct {
	// InlineMax: objects of fewer bytes are stored in the object row
	// (Garage: 3072).
	InlineMax int
	// BlockSize is the size larger objects are cut into (the block
	// manager's when zero).
	BlockSize int
	// PutParallel bounds the blocks of one upload in flight, and so its
	// memory: about (PutParallel + 1) blocks.
	PutParallel int
	// GetPrefetch is how many blocks a reader fetches ahead.
	GetPrefetch int
	// UploadTimeout is the age after which a version still uploading
	// outside a multipart upload (its coordinator vanished) is aborted by
	// the abort worker, which runs every AbortInterval.
	UploadTimeout time.Duration
	AbortInterval time.Duration
	// RepairRetry is the wait of the repair worker after a failed item.
	RepairRetry time.Duration
	// NoRedo is a negative control: a write keeps its optimistic
	// timestamp (the coordinator's clock) even when a replica reports a
	// newer version, so that under clock skew a write can lose to one
	// acknowledged before it began. Never set in production.
	NoRedo bool
	// NoWorkers starts no background task (tests drive AbortStale and
	// RepairOnce by hand).
	NoWorkers bool
}

func (c Config) withDefaults(blocks Blocks) Config {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&c.InlineMax, DefaultInlineMax)
	def(&c.PutParallel, DefaultPutParallel)
	def(&c.GetPrefetch, DefaultGetPrefetch)
	if c.BlockSize <= 0 && blocks != nil {
		c.BlockSize = blocks.BlockSize()
	}
	def(&c.BlockSize, block.DefaultBlockSize)
	dur := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	dur(&c.UploadTimeout, DefaultUploadTimeout)
	dur(&c.AbortInterval, DefaultAbortInterval)
	dur(&c.RepairRetry, DefaultRepairRetry)
	return c
}

// Blocks is what the service needs of the block manager (block.Manager).
type Blocks interface {
	// Put stores one block, whose hash h (block.Sum of data) the caller
	// computed, at a write quorum.
	Put(ctx context.Context, h block.Hash, data []byte) error
	// PutThen is Put, and calls free once no write refers to data any
	// more (not if the put failed before any write started).
	PutThen(ctx context.Context, h block.Hash, data []byte, free func()) error
	// Get returns block h, verified; the error wraps block.ErrNotFound
	// when no node has it.
	Get(ctx context.Context, h block.Hash) ([]byte, error)
	// GetOwned is Get, plus release, which the caller calls once it no
	// longer uses data (or a slice of it), so that the buffer may serve
	// another read.
	GetOwned(ctx context.Context, h block.Hash) (data []byte, release func(), err error)
	// BlockSize is the size objects are cut into.
	BlockSize() int
	// RetryNow queues the resync of blocks on this node now.
	RetryNow(hs ...block.Hash) (int, error)
}

var _ Blocks = (*block.Manager)(nil)

// Service is the object service of one node: buckets, access keys and
// objects over the model's tables and the block manager. Its methods
// coordinate from this node and are safe for use by every task.
type Service struct {
	env    rt.Env
	cfg    Config
	t      *model.Tables
	blocks Blocks // nil on a node without block storage: inline objects only
	bufs   bufPool
}

// New returns the object service of the node of env over its tables and
// block manager (nil for none), registers its RPC endpoint and, unless
// cfg.NoWorkers, spawns its workers: the abort of stale uploads and the
// repair queue.
func New(env rt.Env, t *model.Tables, blocks Blocks, cfg Config) *Service {
	s := &Service{env: env, cfg: cfg.withDefaults(blocks), t: t, blocks: blocks}
	s.bufs.size = s.cfg.BlockSize
	env.Net.Handle(EndpointRepairBlock, s.handleRepairBlock)
	if !s.cfg.NoWorkers {
		env.Tasks.Spawn("object-abort-stale", s.abortLoop)
		env.Tasks.Spawn("object-repair", s.repairLoop)
	}
	return s
}

// Tables returns the model's tables the service runs on.
func (s *Service) Tables() *model.Tables { return s.t }

// now returns the wall clock in ms: LWW timestamps and user-visible dates.
func (s *Service) now() uint64 { return uint64(max(s.env.Clock.Now().UnixMilli(), 0)) }

// stamp returns a timestamp newer than ts, by the LWW rule.
func (s *Service) stamp(ts uint64) uint64 { return crdt.NextTimestamp(s.now(), ts) }

// Errors of the service. Callers test them with errors.Is; the S3 layer
// maps them to S3 error codes.
var (
	ErrNoSuchBucket    = errors.New("no such bucket")
	ErrBucketExists    = errors.New("bucket name already in use")
	ErrBucketNotEmpty  = errors.New("bucket not empty")
	ErrInvalidName     = errors.New("invalid name")
	ErrNoSuchKey       = errors.New("no such object")
	ErrNoSuchUpload    = errors.New("no such multipart upload")
	ErrInvalidPart     = errors.New("invalid part")
	ErrInvalidOrder    = errors.New("parts not in ascending order")
	ErrPartTooSmall    = errors.New("part too small")
	ErrQuotaExceeded   = errors.New("bucket quota exceeded")
	ErrNoSuchAccessKey = errors.New("no such access key")
	ErrKeyExists       = errors.New("access key already exists")
	ErrAmbiguousKey    = errors.New("pattern matches several access keys")
	ErrNoBlockStorage  = errors.New("this node has no block storage")
	// ErrDataMissing is returned when an object's data cannot be read:
	// a block no node holds, a version whose block list is gone. A repair
	// is queued; other objects are not affected.
	ErrDataMissing = errors.New("object data missing")
)

func isNoSuchBucket(err error) bool { return errors.Is(err, ErrNoSuchBucket) }

// goErr runs fn in a task of the node and returns the wait for its
// error. The wait is not cancellable: fn ends within its RPC timeouts.
func (s *Service) goErr(name string, fn func(ctx context.Context) error) (wait func() error) {
	f := rt.Go(s.env.Tasks, name, func(ctx context.Context) (struct{}, error) { return struct{}{}, fn(ctx) })
	return func() error {
		_, err := f.Wait(context.Background())
		return err
	}
}
