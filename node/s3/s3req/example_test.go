package s3req_test

import (
	"fmt"

	"github.com/gogarage/garage/node/s3/s3req"
)

func ExampleParseRange() {
	r, ok, err := s3req.ParseRange("bytes=-3", 10)
	fmt.Println(r.ContentRange(10), ok, err)
	_, ok, err = s3req.ParseRange("bytes=0-1,5-6", 10)
	fmt.Println(ok, err)
	_, _, err = s3req.ParseRange("bytes=10-", 10)
	fmt.Println(err)
	// Output:
	// bytes 7-9/10 true <nil>
	// false <nil>
	// InvalidRange: The requested range is not satisfiable.
}
