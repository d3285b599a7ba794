package determinism

import (
	"context"
	"time"
)

func clock(ctx context.Context) time.Duration {
	start := time.Now()                                  // want "wall-time: use of time.Now"
	time.Sleep(time.Millisecond)                         // want "wall-time: use of time.Sleep"
	_ = time.After(time.Second)                          // want "wall-time: use of time.After"
	_ = time.Tick(time.Second)                           // want "wall-time: use of time.Tick"
	time.NewTimer(time.Second).Stop()                    // want "wall-time: use of time.NewTimer"
	time.NewTicker(time.Second).Stop()                   // want "wall-time: use of time.NewTicker"
	time.AfterFunc(time.Second, func() {}).Stop()        // want "wall-time: use of time.AfterFunc"
	_ = time.Until(start)                                // want "wall-time: use of time.Until"
	ctx, cancel := context.WithTimeout(ctx, time.Second) // want "context-ctor: use of context.WithTimeout"
	defer cancel()
	stop := context.AfterFunc(ctx, func() {}) // want "context-ctor: use of context.AfterFunc"
	stop()
	_, cancel2 := context.WithCancel(ctx) // want "context-ctor: use of context.WithCancel"
	cancel2()
	_, cancel3 := context.WithDeadline(ctx, start) // want "context-ctor: use of context.WithDeadline"
	cancel3()
	_, cancel4 := context.WithCancelCause(ctx) // want "context-ctor: use of context.WithCancelCause"
	cancel4(nil)
	return time.Since(start) // want "wall-time: use of time.Since"
}

// A function value hides the call, not the use.
func clockValue() func() time.Time {
	return time.Now // want "wall-time: use of time.Now"
}
