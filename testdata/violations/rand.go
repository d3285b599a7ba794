package violations

import (
	crand "crypto/rand" // want: crypto-rand
	"math/rand"
	randv2 "math/rand/v2"
)

func roll() int {
	b := make([]byte, 4)
	_, _ = crand.Read(b)
	return rand.Intn(6) + randv2.IntN(6) // want: global-rand global-rand
}
