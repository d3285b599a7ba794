package checksum_test

import (
	"fmt"
	"io"
	"strings"

	"github.com/gogarage/garage/node/s3/checksum"
)

func ExampleReader() {
	get := func(name string) string {
		if name == "x-amz-checksum-crc32" {
			return "i9aeUg=="
		}
		return ""
	}
	exp, err := checksum.ParseRequest(get, nil)
	if err != nil {
		panic(err)
	}
	r := checksum.NewReader(strings.NewReader("Hello world"), exp, nil)
	_, err = io.Copy(io.Discard, r)
	fmt.Println(err, r.Sums().ETag(), r.Sums().Checksum.Algorithm, r.Sums().Checksum.Base64())
	// Output: <nil> "3e25960a79dbc69b674cd4ec67a72c62" CRC32 i9aeUg==
}
