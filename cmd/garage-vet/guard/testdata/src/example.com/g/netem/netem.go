package netem

import _ "example.com/g/layout" // want "arrow: example.com/g/netem -> example.com/g/layout: netem may import only netem"
