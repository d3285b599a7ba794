package determinism

import (
	crand "crypto/rand" // want "crypto-rand: import \"crypto/rand\""
	"math/rand"
	randv2 "math/rand/v2"
)

func roll() int {
	b := make([]byte, 4)
	_, _ = crand.Read(b)
	return rand.Intn(6) + randv2.IntN(6) // want "global-rand: use of math/rand.Intn" "global-rand: use of math/rand/v2.IntN"
}

func shuffle(s []int) {
	randv2.Shuffle(len(s), func(i, j int) { s[i], s[j] = s[j], s[i] }) // want "global-rand: use of math/rand/v2.Shuffle"
	_ = randv2.N(10)                                                   // want "global-rand: use of math/rand/v2.N"
}
