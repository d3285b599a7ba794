package layout

import _ "example.com/g/node/crdt" // want "arrow: example.com/g/layout -> example.com/g/node/crdt: layout may import only layout"
