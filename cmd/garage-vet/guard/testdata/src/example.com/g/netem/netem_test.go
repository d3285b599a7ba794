package netem

// A package with tests gets a generated test main, example.com/g/netem.test,
// that imports it: not a production package, not judged.
import "testing"

func TestNothing(t *testing.T) {}
