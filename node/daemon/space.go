package daemon

import (
	"context"
	"time"

	"github.com/gogarage/garage/node/cluster"
)

// defaultSpaceInterval is how often the free space is measured again.
const defaultSpaceInterval = time.Minute

// space measures the free and total space of data_dir and metadata_dir.
func (d *Daemon) space() cluster.Space {
	var s cluster.Space
	s.DataFree, s.DataTotal = diskSpace(d.cfg.PrimaryDataDir())
	s.MetaFree, s.MetaTotal = diskSpace(d.cfg.MetadataDir)
	return s
}

// startSpace refreshes the space the node reports until Close.
func (d *Daemon) startSpace() {
	ctx, cancel := context.WithCancel(context.Background())
	d.stop = cancel
	every := d.cfg.Tuning.SpaceInterval
	if every <= 0 {
		every = defaultSpaceInterval
	}
	d.wg.Add(1)
	go func() {
		defer d.wg.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				d.g.Cluster().SetSpace(d.space())
			}
		}
	}()
}
