package sigv4

import "encoding/hex"

// hexString returns b in lower-case hex.
func hexString(b []byte) string { return hex.EncodeToString(b) }
