package sigv4_test

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/gogarage/garage/node/s3/sigv4"
)

func ExampleVerifier_Verify() {
	v := sigv4.Verifier{Region: "us-east-1", Secret: func(ak string) (string, error) {
		if ak == "AKIAIOSFODNN7EXAMPLE" {
			return "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", nil
		}
		return "", sigv4.ErrUnknownKey
	}}
	r := sigv4.Request{Method: "GET", RawPath: "/test.txt", Host: "examplebucket.s3.amazonaws.com",
		Header: map[string][]string{
			"Range":                {"bytes=0-9"},
			"X-Amz-Content-Sha256": {"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
			"X-Amz-Date":           {"20130524T000000Z"},
			"Authorization": {"AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request," +
				"SignedHeaders=host;range;x-amz-content-sha256;x-amz-date," +
				"Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"},
		}}
	res, err := v.Verify(r, time.Date(2013, 5, 24, 0, 5, 0, 0, time.UTC))
	fmt.Println(res.AccessKeyID, res.Payload, err)
	body, err := io.ReadAll(sigv4.NewBody(strings.NewReader(""), res, sigv4.ChunkOptions{}))
	fmt.Printf("%q %v\n", body, err)
	_, err = v.Verify(r, time.Date(2013, 5, 24, 1, 0, 0, 0, time.UTC))
	fmt.Println(err)
	// Output:
	// AKIAIOSFODNN7EXAMPLE sha256 <nil>
	// "" <nil>
	// RequestTimeTooSkewed: The difference between the request time and the server's time is too large.
}
