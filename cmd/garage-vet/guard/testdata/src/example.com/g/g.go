// Package g is the module root: test-only in the project, so it may import
// nothing of the module in production.
package g

import _ "example.com/g/layout" // want "arrow: example.com/g -> example.com/g/layout: root may import only root"
