package admin

import (
	"fmt"
	"sync"
	"time"

	dto "github.com/prometheus/client_model/go"

	"github.com/gogarage/garage/node/block"
)

// DefaultUsageEvery is how long /metrics reuses a walk of the data
// directories (the bytes and files stored), which costs a stat per block
// file.
const DefaultUsageEvery = time.Minute

// usageCache keeps the last walk of the data directories.
type usageCache struct {
	mu    sync.Mutex
	done  bool
	at    time.Duration // monotonic time of the walk
	usage block.Usage
}

// get returns the usage of m, walking again if the last walk is older
// than every.
func (c *usageCache) get(m *block.Manager, now, every time.Duration) (block.Usage, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done && now-c.at < every {
		return c.usage, nil
	}
	u, err := m.Usage()
	if err != nil {
		return u, err
	}
	c.done, c.at, c.usage = true, now, u
	return u, nil
}

// blocks renders the block manager's figures.
func (g nodeGatherer) blocks() ([]*dto.MetricFamily, error) {
	m := g.s.cfg.Node.Block()
	if m == nil {
		return nil, nil
	}
	q, err := m.QueueLen()
	if err != nil {
		return nil, fmt.Errorf("block resync queue: %w", err)
	}
	errs, err := m.Errors()
	if err != nil {
		return nil, fmt.Errorf("block errors: %w", err)
	}
	rcs, err := m.RCEntries()
	if err != nil {
		return nil, fmt.Errorf("block reference counts: %w", err)
	}
	every := g.s.cfg.UsageEvery
	if every <= 0 {
		every = DefaultUsageEvery
	}
	u, err := g.s.usage.get(m, g.s.cfg.Clock.Mono(), every)
	if err != nil {
		return nil, fmt.Errorf("block usage: %w", err)
	}
	wi := m.Workers()
	st := wi.Stats
	return []*dto.MetricFamily{
		gaugeFamily("block_resync_queue_length", "Blocks waiting in the resync queue.", float64(q)),
		gaugeFamily("block_resync_errored_blocks", "Blocks whose resync keeps failing.", float64(len(errs))),
		gaugeFamily("block_rc_entries", "Reference count entries: about the blocks this node stores.", float64(rcs)),
		gaugeFamily("block_stored_files", "Block files in the data directories (walked at most once per usage interval).", float64(u.Files)),
		gaugeFamily("block_stored_bytes", "Bytes of the block files in the data directories.", float64(u.Bytes)),
		gaugeFamily("block_resync_workers", "Resync workers.", float64(wi.ResyncWorkers)),
		gaugeFamily("block_ram_buffer_used_bytes", "Bytes of blocks buffered while being sent to other nodes.", float64(wi.BufferUsed)),
		counterFamily("block_written_counter", "Block files written (puts and fetches).", float64(st.BlocksWritten)),
		counterFamily("block_bytes_written", "Bytes of the block files written.", float64(st.BytesWritten)),
		counterFamily("block_resync_counter", "Resync queue entries processed.", float64(st.ResyncDone)),
		counterFamily("block_resync_error_counter", "Resyncs that failed.", float64(st.ResyncErrors)),
		counterFamily("block_corruption_counter", "Corrupt block files found (reads and scrub).", float64(st.Corrupt)),
	}, nil
}

// objects renders the buckets, keys and the objects of this node's
// replicas.
func (g nodeGatherer) objects() ([]*dto.MetricFamily, error) {
	svc := g.s.cfg.Node.Objects()
	buckets, err := svc.ListBuckets()
	if err != nil {
		return nil, fmt.Errorf("buckets: %w", err)
	}
	keys, err := svc.ListKeys()
	if err != nil {
		return nil, fmt.Errorf("access keys: %w", err)
	}
	c, err := svc.Tables().LocalCounts()
	if err != nil {
		return nil, err
	}
	return []*dto.MetricFamily{
		gaugeFamily("bucket_count", "Buckets of the cluster.", float64(len(buckets))),
		gaugeFamily("key_count", "Access keys of the cluster.", float64(len(keys))),
		gaugeFamily("object_count", "Objects with data whose replica this node stores.", float64(c.Objects)),
		gaugeFamily("object_bytes", "Bytes of the objects whose replica this node stores.", float64(c.Bytes)),
		gaugeFamily("object_unfinished_uploads", "Multipart uploads in progress whose replica this node stores.", float64(c.Uploads)),
	}, nil
}

func counterFamily(name, help string, v float64) *dto.MetricFamily {
	f := gaugeFamily(name, help, v)
	f.Type = dto.MetricType_COUNTER.Enum()
	f.Metric[0].Gauge, f.Metric[0].Counter = nil, &dto.Counter{Value: f.Metric[0].Gauge.Value}
	return f
}
