package violations

import "sync"

func waits(wg *sync.WaitGroup, c *sync.Cond) { // want: sync-block
	wg.Wait()                       // want: sync-block
	wg.Go(func() {})                // want: sync-block
	_ = sync.NewCond(&sync.Mutex{}) // want: sync-block
	c.Signal()
}
