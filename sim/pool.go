package sim

// freeList keeps ended objects (tasks, calls) for reuse, so the hot path
// of the scheduler allocates little. Only the world's goroutine of the
// moment touches it.
type freeList[T any] []*T

// get returns a recycled object, or a new zero one.
func (f *freeList[T]) get() *T {
	n := len(*f)
	if n == 0 {
		return new(T)
	}
	x := (*f)[n-1]
	(*f)[n-1] = nil
	*f = (*f)[:n-1]
	return x
}

// put zeroes x and keeps it for a later get.
func (f *freeList[T]) put(x *T) {
	var zero T
	*x = zero
	*f = append(*f, x)
}
