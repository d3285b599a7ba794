// Package host is the real driver: still node, so no netem (a shaper is injected from cmd).
package host

import _ "example.com/g/netem" // want "arrow: example.com/g/node/host -> example.com/g/netem: node may import only layout, node"
