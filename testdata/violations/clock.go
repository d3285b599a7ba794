package violations

import (
	"context"
	"time"
)

func clock(ctx context.Context) time.Duration {
	start := time.Now()                                  // want: wall-time
	time.Sleep(time.Millisecond)                         // want: wall-time
	_ = time.After(time.Second)                          // want: wall-time
	_ = time.Tick(time.Second)                           // want: wall-time
	time.NewTimer(time.Second).Stop()                    // want: wall-time
	time.NewTicker(time.Second).Stop()                   // want: wall-time
	time.AfterFunc(time.Second, func() {}).Stop()        // want: wall-time
	_ = time.Until(start)                                // want: wall-time
	ctx, cancel := context.WithTimeout(ctx, time.Second) // want: context-ctor
	defer cancel()
	stop := context.AfterFunc(ctx, func() {}) // want: context-ctor
	stop()
	_, cancel2 := context.WithCancel(ctx) // want: context-ctor
	cancel2()
	_, cancel3 := context.WithDeadline(ctx, start) // want: context-ctor
	cancel3()
	return time.Since(start) // want: wall-time
}
