package sim

import (
	_ "example.com/g/checker"
	_ "example.com/g/experiments/names" // want "arrow: example.com/g/sim -> example.com/g/experiments/names: sim may import only checker, layout, netem, node, sim"
	_ "example.com/g/layout"
	_ "example.com/g/netem"
	_ "example.com/g/node/table"
	_ "example.com/g/sim/clock"
)
