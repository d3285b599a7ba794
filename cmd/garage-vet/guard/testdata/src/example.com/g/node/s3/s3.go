package s3

import (
	_ "example.com/g/experiments/names" // want "arrow: example.com/g/node/s3 -> example.com/g/experiments/names"
	_ "example.com/g/plots"             // want "arrow: example.com/g/node/s3 -> example.com/g/plots"
)
