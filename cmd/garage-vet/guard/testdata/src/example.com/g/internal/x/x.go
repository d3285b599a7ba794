package x

import _ "example.com/g/layout" // want "arrow: example.com/g/internal/x: area \"internal\" is not in the diagram"
