package experiments

import (
	_ "example.com/g/cmd/other" // want "arrow: example.com/g/experiments -> example.com/g/cmd/other: experiments may import only checker, experiments, layout, netem, node, plots, sim"
	_ "example.com/g/node/rt"
	_ "example.com/g/plots"
	_ "example.com/g/sim"
)
