package node

import _ "example.com/g/checker/model" // want "arrow: example.com/g/node -> example.com/g/checker/model: node may import only layout, node"
