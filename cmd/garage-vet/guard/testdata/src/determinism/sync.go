package determinism

import "sync"

func waits(wg *sync.WaitGroup, c *sync.Cond) { // want "sync-block: use of sync.Cond"
	wg.Wait()                       // want "sync-block: use of sync.WaitGroup.Wait"
	wg.Go(func() {})                // want "sync-block: use of sync.WaitGroup.Go"
	_ = sync.NewCond(&sync.Mutex{}) // want "sync-block: use of sync.NewCond"
	c.Signal()
}

// An embedded WaitGroup promotes its Wait.
type group struct{ sync.WaitGroup }

func waitEmbedded(g *group) {
	g.Wait() // want "sync-block: use of sync.WaitGroup.Wait"
}
