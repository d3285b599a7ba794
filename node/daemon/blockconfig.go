package daemon

import (
	"fmt"

	"github.com/gogarage/garage/node/block"
	"github.com/gogarage/garage/node/host"
)

// blockConfig is the block manager's configuration: one directory store
// per data_dir entry (a lone path weighs 1), block_size,
// compression_level, block_ram_buffer_max and data_fsync.
func (c Config) blockConfig() (block.Config, error) {
	var dirs []block.Dir
	for _, dd := range c.DataDirs() {
		f, err := host.NewFiles(dd.Path)
		if err != nil {
			return block.Config{}, fmt.Errorf("data_dir %s: %w", dd.Path, err)
		}
		dirs = append(dirs, block.Dir{Files: f.DirectIO(), Capacity: uint64(max(dd.Capacity, 1)), ReadOnly: dd.ReadOnly})
	}
	return block.Config{Dirs: dirs, BlockSize: int(c.BlockSize.Bytes()), Compression: blockCompression(c.CompressionLevel),
		RAMBufferMax: c.BlockRAMBufferMax.Bytes(), Fsync: c.DataFsync}, nil
}

// blockCompression maps compression_level to the block manager's setting:
// "none" stores plain blocks; zstd's fast negative levels (and 0) map to
// level 1, the fastest the encoder offers.
func blockCompression(c Compression) int {
	lvl, on := c.Level()
	if !on {
		return block.CompressionOff
	}
	return max(lvl, 1)
}
