package table

import (
	_ "example.com/g/node/rt"
	_ "example.com/g/sim/disk" // want "arrow: example.com/g/node/table -> example.com/g/sim/disk: node may import only layout, node"
	_ "example.com/gx/sim"     // another module
	_ "github.com/pingcap/failpoint"
	_ "strings"
)
