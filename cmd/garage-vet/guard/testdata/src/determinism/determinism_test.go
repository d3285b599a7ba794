package determinism

import (
	"crypto/rand"
	"testing"
	"time"
)

// Test files are exempt.

var stamp = time.Now()

func TestSpawn(t *testing.T) {
	done := make(chan struct{})
	go func() { close(done) }()
	<-done
	_, _ = rand.Read(make([]byte, 4))
	_ = stamp
}
