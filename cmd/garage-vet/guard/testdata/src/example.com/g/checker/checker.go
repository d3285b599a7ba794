package checker

import _ "example.com/g/sim/clock" // want "arrow: example.com/g/checker -> example.com/g/sim/clock: checker may import only checker"
