package disk

import (
	_ "example.com/g/checker"
	_ "example.com/g/plots" // want "arrow: example.com/g/sim/disk -> example.com/g/plots: sim may import only"
)
