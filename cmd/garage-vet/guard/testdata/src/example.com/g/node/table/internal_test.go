package table

import _ "example.com/g/plots"
