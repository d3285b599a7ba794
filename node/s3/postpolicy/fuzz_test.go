package postpolicy

import (
	"encoding/base64"
	"testing"

	"github.com/gogarage/garage/node/s3/s3err"
)

func FuzzParsePolicy(f *testing.F) {
	f.Add(`{"expiration": "2024-01-01T00:00:00Z", "conditions": [{"bucket": "b"}, ["starts-with", "$key", "a/"], ["content-length-range", 0, 10]]}`)
	f.Fuzz(func(t *testing.T, doc string) {
		p, err := ParsePolicy(base64.StdEncoding.EncodeToString([]byte(doc)))
		if err != nil {
			if !s3err.Is(err, s3err.InvalidPolicyDocument) {
				t.Fatalf("error %v is not InvalidPolicyDocument", err)
			}
			return
		}
		for _, c := range p.Conditions {
			switch c.Op {
			case OpEq, OpStartsWith:
				if c.Field == "" {
					t.Fatalf("condition without field: %+v", c)
				}
			case OpLengthRange:
				if c.Min < 0 || c.Max < c.Min {
					t.Fatalf("bad range accepted: %+v", c)
				}
			default:
				t.Fatalf("unknown operator accepted: %+v", c)
			}
		}
		fields := map[string]string{"key": "k"}
		if _, err := p.Check(fields); err != nil && !s3err.Is(err, s3err.AccessDenied) {
			t.Fatalf("Check: %v", err)
		}
	})
}
