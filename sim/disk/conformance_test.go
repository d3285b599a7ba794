package disk_test

import (
	"testing"

	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/node/rt/rttest"
	"github.com/gogarage/garage/sim/disk"
)

func TestKVConformance(t *testing.T) {
	rttest.TestKV(t, func(t *testing.T) rt.KV { return disk.New(disk.Options{}).KV() })
}

func TestKVConformanceSyncOnCommit(t *testing.T) {
	rttest.TestKV(t, func(t *testing.T) rt.KV { return disk.New(disk.Options{SyncOnCommit: true}).KV() })
}

func TestFilesConformance(t *testing.T) {
	rttest.TestFiles(t, func(t *testing.T) rt.Files { return disk.New(disk.Options{}).Files() })
}
