package violations

import (
	"context"
	"reflect"
)

func spawn(f func()) {
	go f() // want: go-stmt
}

func pick(ctx context.Context, a chan int) int { // want: chan-type
	select { // want: select-stmt
	case v := <-a: // want: chan-op
		return v
	case <-ctx.Done(): // want: chan-op
		return 0
	}
}

func send(a chan<- int) { // want: chan-type
	a <- 1 // want: chan-op
}

func drain(ch <-chan int) (n int) { // want: chan-type
	for range ch { // want: chan-op
		n++
	}
	return n
}

func makeAndClose() {
	ch := make(chan int, 1) // want: chan-make
	close(ch)               // want: chan-op
}

func reflective(cases []reflect.SelectCase) {
	reflect.Select(cases)                                // want: select-stmt
	_ = reflect.MakeChan(reflect.TypeFor[chan int](), 0) // want: chan-make chan-type
}
