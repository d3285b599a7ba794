package determinism

import (
	"context"
	"reflect"
)

func spawn(f func()) {
	go f() // want "go-stmt: go statement"
}

func pick(ctx context.Context, a chan int) int { // want "chan-type: channel type"
	select { // want "select-stmt: select statement"
	case v := <-a: // want "chan-op: channel receive"
		return v
	case <-ctx.Done(): // want "chan-op: channel receive"
		return 0
	}
}

func send(a chan<- int) { // want "chan-type: channel type"
	a <- 1 // want "chan-op: channel send"
}

func drain(ch <-chan int) (n int) { // want "chan-type: channel type"
	for range ch { // want "chan-op: range over a channel"
		n++
	}
	return n
}

func makeAndClose() {
	ch := make(chan int, 1) // want "chan-make: make of a channel"
	close(ch)               // want "chan-op: channel close"
}

type pipe chan []byte // want "chan-type: channel type"

func makeNamed() pipe {
	return make(pipe) // want "chan-make: make of a channel"
}

func reflective(cases []reflect.SelectCase) {
	reflect.Select(cases)                                       // want "select-stmt: use of reflect.Select"
	_ = reflect.MakeChan(reflect.TypeFor[chan int](), 0)        // want "chan-make: use of reflect.MakeChan" "chan-type: channel type"
	_ = reflect.ChanOf(reflect.BothDir, reflect.TypeFor[int]()) // want "chan-make: use of reflect.ChanOf"
}
