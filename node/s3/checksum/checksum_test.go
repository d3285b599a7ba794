package checksum

import (
	"bytes"
	"crypto/md5"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/minio/crc64nvme"

	"github.com/gogarage/garage/node/s3/s3err"
)

func TestCheckValues(t *testing.T) {
	// The "check" values of the CRC catalogue (input "123456789").
	tests := []struct {
		a    Algorithm
		want string
	}{
		{CRC32, "cbf43926"},
		{CRC32C, "e3069283"},
		{CRC64NVME, "ae8b14860a799888"},
		{SHA1, "f7c3bc1d808e04732adf679965ccc34ca7ae3441"},
		{SHA256, "15e2b0d3c33891ebb0f1ef609ec419420c20e320ce94c65fbc8c3312448eb225"},
	}
	for _, tt := range tests {
		got := Compute(tt.a, []byte("123456789"))
		if hex.EncodeToString(got.Sum) != tt.want || len(got.Sum) != tt.a.Size() {
			t.Errorf("%v(123456789) = %x, want %s", tt.a, got.Sum, tt.want)
		}
	}
}

func TestPublishedCRC32C(t *testing.T) {
	// The trailer of the S3 documentation's aws-chunked example.
	got := Compute(CRC32C, bytes.Repeat([]byte{'a'}, 66560)).Base64()
	if got != "sOO8/Q==" {
		t.Errorf("crc32c = %s, want sOO8/Q==", got)
	}
}

func TestCRC64NVMEMatchesMinio(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for n := range 300 {
		data := make([]byte, n*7)
		for i := range data {
			data[i] = byte(rng.Uint32())
		}
		h := CRC64NVME.New()
		h.Write(data[:len(data)/3])
		h.Write(data[len(data)/3:])
		want := binary.BigEndian.AppendUint64(nil, crc64nvme.Checksum(data))
		if got := h.Sum(nil); !bytes.Equal(got, want) {
			t.Fatalf("%d bytes: crc64nvme %x, minio %x", len(data), got, want)
		}
	}
}

func TestHeaderNames(t *testing.T) {
	want := []string{"x-amz-checksum-crc32", "x-amz-checksum-crc32c", "x-amz-checksum-crc64nvme", "x-amz-checksum-sha1", "x-amz-checksum-sha256"}
	for i, a := range Algorithms() {
		if a.Header() != want[i] {
			t.Errorf("%v.Header() = %s, want %s", a, a.Header(), want[i])
		}
		if got, err := ParseAlgorithm(strings.ToLower(a.String())); got != a || err != nil {
			t.Errorf("ParseAlgorithm(%s) = %v, %v", a, got, err)
		}
	}
	if _, err := ParseAlgorithm("md5"); !s3err.Is(err, s3err.InvalidRequest) {
		t.Errorf("ParseAlgorithm(md5): %v", err)
	}
}

// headers returns a lookup over a fixed header table.
func headers(kv ...string) func(string) string {
	return func(name string) string {
		for i := 0; i < len(kv); i += 2 {
			if strings.EqualFold(kv[i], name) {
				return kv[i+1]
			}
		}
		return ""
	}
}

func TestParseRequest(t *testing.T) {
	md5OK := base64.StdEncoding.EncodeToString(make([]byte, 16))
	crc := Compute(CRC32, []byte("x")).Base64()
	tests := []struct {
		name     string
		get      func(string) string
		trailers []string
		want     Expect
		code     s3err.Code
	}{
		{"nothing", headers(), nil, Expect{}, ""},
		{"md5", headers("Content-MD5", md5OK), nil, Expect{MD5: make([]byte, 16)}, ""},
		{"bad md5", headers("Content-MD5", "AAAA"), nil, Expect{}, s3err.InvalidDigest},
		{"md5 not base64", headers("Content-MD5", "!!!!"), nil, Expect{}, s3err.InvalidDigest},
		{"crc32", headers("x-amz-checksum-crc32", crc), nil, Expect{Algorithm: CRC32, Value: Compute(CRC32, []byte("x")).Sum}, ""},
		{"crc32 too long", headers("x-amz-checksum-crc32", md5OK), nil, Expect{}, s3err.InvalidRequest},
		{"two checksums", headers("x-amz-checksum-crc32", crc, "x-amz-checksum-crc32c", crc), nil, Expect{}, s3err.InvalidRequest},
		{"trailer", headers(), []string{"x-amz-checksum-sha256"}, Expect{Algorithm: SHA256, Trailer: true}, ""},
		{"trailer and header", headers("x-amz-checksum-crc32", crc), []string{"x-amz-checksum-sha256"}, Expect{}, s3err.InvalidRequest},
		{"unknown trailer checksum", headers(), []string{"x-amz-checksum-md5"}, Expect{}, s3err.InvalidRequest},
		{"other trailer", headers(), []string{"x-amz-meta-a"}, Expect{}, ""},
		{"sdk algorithm only", headers("x-amz-sdk-checksum-algorithm", "CRC64NVME"), nil, Expect{Algorithm: CRC64NVME}, ""},
		{"sdk algorithm agrees", headers("x-amz-sdk-checksum-algorithm", "crc32", "x-amz-checksum-crc32", crc), nil, Expect{Algorithm: CRC32, Value: Compute(CRC32, []byte("x")).Sum}, ""},
		{"sdk algorithm disagrees", headers("x-amz-sdk-checksum-algorithm", "SHA1", "x-amz-checksum-crc32", crc), nil, Expect{}, s3err.InvalidRequest},
		{"bad algorithm", headers("x-amz-checksum-algorithm", "xxh3"), nil, Expect{}, s3err.InvalidRequest},
	}
	for _, tt := range tests {
		got, err := ParseRequest(tt.get, tt.trailers)
		if tt.code != "" {
			if !s3err.Is(err, tt.code) {
				t.Errorf("%s: %v, want %s", tt.name, err, tt.code)
			}
			continue
		}
		if err != nil || !bytes.Equal(got.MD5, tt.want.MD5) || got.Algorithm != tt.want.Algorithm ||
			!bytes.Equal(got.Value, tt.want.Value) || got.Trailer != tt.want.Trailer {
			t.Errorf("%s: got %+v, %v; want %+v", tt.name, got, err, tt.want)
		}
	}
}

// trailerTable returns a TrailerFunc over fixed values.
func trailerTable(kv ...string) TrailerFunc {
	return func(name string) (string, bool) {
		for i := 0; i < len(kv); i += 2 {
			if kv[i] == name {
				return kv[i+1], true
			}
		}
		return "", false
	}
}

func TestReader(t *testing.T) {
	data := []byte("The quick brown fox jumps over the lazy dog")
	sum := md5.Sum(data)
	for _, a := range Algorithms() {
		good := Compute(a, data)
		bad := Compute(a, data[1:])
		tests := []struct {
			name    string
			exp     Expect
			trailer TrailerFunc
			want    s3err.Code
		}{
			{"header", Expect{Algorithm: a, Value: good.Sum, MD5: sum[:]}, nil, ""},
			{"compute only", Expect{Algorithm: a}, nil, ""},
			{"trailer", Expect{Algorithm: a, Trailer: true}, trailerTable(a.Header(), good.Base64()), ""},
			{"bad header", Expect{Algorithm: a, Value: bad.Sum}, nil, s3err.BadDigest},
			{"bad md5", Expect{Algorithm: a, MD5: make([]byte, 16)}, nil, s3err.BadDigest},
			{"bad trailer", Expect{Algorithm: a, Trailer: true}, trailerTable(a.Header(), bad.Base64()), s3err.BadDigest},
			{"missing trailer", Expect{Algorithm: a, Trailer: true}, trailerTable(), s3err.InvalidRequest},
			{"malformed trailer", Expect{Algorithm: a, Trailer: true}, trailerTable(a.Header(), "%%%"), s3err.InvalidRequest},
		}
		for _, tt := range tests {
			r := NewReader(iotest.OneByteReader(bytes.NewReader(data)), tt.exp, tt.trailer)
			got, err := io.ReadAll(r)
			if tt.want != "" {
				if !s3err.Is(err, tt.want) {
					t.Errorf("%v %s: %v, want %s", a, tt.name, err, tt.want)
				}
				continue
			}
			s := r.Sums()
			if err != nil || !bytes.Equal(got, data) || s.Size != int64(len(data)) || !bytes.Equal(s.MD5, sum[:]) ||
				s.Checksum.Algorithm != a || !bytes.Equal(s.Checksum.Sum, good.Sum) {
				t.Errorf("%v %s: %v, sums %+v", a, tt.name, err, s)
			}
		}
	}
}

func TestReaderMD5Only(t *testing.T) {
	r := NewReader(strings.NewReader(""), Expect{}, nil)
	if _, err := io.ReadAll(r); err != nil {
		t.Fatal(err)
	}
	if got := r.Sums().ETag(); got != `"d41d8cd98f00b204e9800998ecf8427e"` {
		t.Errorf("ETag of empty body = %s", got)
	}
	if !r.Sums().Checksum.IsZero() {
		t.Errorf("checksum computed though none was asked: %+v", r.Sums().Checksum)
	}
}

func TestMultipart(t *testing.T) {
	p1, p2 := md5.Sum([]byte("a")), md5.Sum([]byte("b"))
	cat := md5.Sum(append(p1[:], p2[:]...))
	if got, want := MultipartETag([][]byte{p1[:], p2[:]}), `"`+hex.EncodeToString(cat[:])+`-2"`; got != want {
		t.Errorf("MultipartETag = %s, want %s", got, want)
	}
	c1, c2 := Compute(CRC32, []byte("a")), Compute(CRC32, []byte("b"))
	got, err := Composite(CRC32, []Value{c1, c2})
	if want := Compute(CRC32, append(c1.Sum, c2.Sum...)); err != nil || !bytes.Equal(got.Sum, want.Sum) {
		t.Errorf("Composite = %x, %v; want %x", got.Sum, err, want.Sum)
	}
	if _, err := Composite(CRC32, []Value{c1, Compute(SHA1, nil)}); !s3err.Is(err, s3err.InvalidPart) {
		t.Errorf("Composite of mixed algorithms: %v", err)
	}
}

func TestNoETagSparesMD5UnlessChecked(t *testing.T) {
	data := []byte("hello")
	r := NewReader(bytes.NewReader(data), Expect{NoETag: true}, nil)
	if _, err := io.ReadAll(r); err != nil || r.Sums().MD5 != nil || r.Sums().Size != 5 {
		t.Errorf("NoETag: err %v, sums %+v", err, r.Sums())
	}
	sum := md5.Sum([]byte("other"))
	r = NewReader(bytes.NewReader(data), Expect{NoETag: true, MD5: sum[:]}, nil)
	if _, err := io.ReadAll(r); err == nil {
		t.Errorf("NoETag with a wrong Content-MD5: no error")
	}
}
