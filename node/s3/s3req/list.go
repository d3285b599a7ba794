package s3req

import (
	"net/url"
	"strconv"

	"github.com/gogarage/garage/node/s3/s3err"
)

// MaxListKeys is the most entries one listing page returns.
const MaxListKeys = 1000

// ListParams are the parameters of ListObjects (version 1 and 2) and
// ListMultipartUploads.
type ListParams struct {
	Prefix    string
	Delimiter string
	// MaxKeys is at most MaxListKeys (larger requests are clamped, as S3
	// does).
	MaxKeys int
	// URLEncode is set by encoding-type=url.
	URLEncode bool
	// Marker is V1's marker; ContinuationToken and StartAfter are V2's;
	// KeyMarker and UploadIDMarker are ListMultipartUploads'.
	Marker            string
	ContinuationToken string
	StartAfter        string
	FetchOwner        bool
	KeyMarker         string
	UploadIDMarker    string
}

// ParseListParams reads the listing parameters of q; maxName is
// "max-keys" or "max-uploads". Errors are InvalidArgument.
func ParseListParams(q url.Values, maxName string) (ListParams, error) {
	p := ListParams{
		Prefix: q.Get("prefix"), Delimiter: q.Get("delimiter"), Marker: q.Get("marker"),
		ContinuationToken: q.Get("continuation-token"), StartAfter: q.Get("start-after"),
		KeyMarker: q.Get("key-marker"), UploadIDMarker: q.Get("upload-id-marker"),
	}
	var err error
	if p.MaxKeys, err = boundedInt(q, maxName, MaxListKeys, MaxListKeys); err != nil {
		return ListParams{}, err
	}
	switch e := q.Get("encoding-type"); e {
	case "":
	case "url":
		p.URLEncode = true
	default:
		return ListParams{}, invalidArgument("encoding-type", "Invalid Encoding Method specified in Request")
	}
	if v, ok := q["fetch-owner"]; ok {
		if p.FetchOwner, err = strconv.ParseBool(v[0]); err != nil {
			return ListParams{}, invalidArgument("fetch-owner", "fetch-owner must be true or false")
		}
	}
	return p, nil
}

// boundedInt reads parameter name as a non-negative integer, def when
// absent, clamped to max.
func boundedInt(q url.Values, name string, def, max int) (int, error) {
	v, ok := q[name]
	if !ok {
		return def, nil
	}
	n, err := strconv.Atoi(v[0])
	if err != nil || n < 0 {
		return 0, invalidArgument(name, "Provided "+name+" not an integer or within integer range")
	}
	return min(n, max), nil
}

// ListPartsParams are the parameters of ListParts.
type ListPartsParams struct {
	MaxParts         int
	PartNumberMarker int
}

// ParseListPartsParams reads max-parts and part-number-marker. Errors are
// InvalidArgument.
func ParseListPartsParams(q url.Values) (ListPartsParams, error) {
	maxParts, err := boundedInt(q, "max-parts", MaxListKeys, MaxListKeys)
	if err != nil {
		return ListPartsParams{}, err
	}
	marker, err := boundedInt(q, "part-number-marker", 0, 10000)
	if err != nil {
		return ListPartsParams{}, err
	}
	return ListPartsParams{MaxParts: maxParts, PartNumberMarker: marker}, nil
}

// ParsePartNumber parses the partNumber parameter of UploadPart: 1 to
// 10000. Errors are InvalidArgument.
func ParsePartNumber(v string) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 10000 {
		return 0, invalidArgument("partNumber", "Part number must be an integer between 1 and 10000, inclusive")
	}
	return n, nil
}

// invalidArgument returns an InvalidArgument error naming the argument.
func invalidArgument(name, msg string) error {
	return s3err.New(s3err.InvalidArgument, "%s", msg).With("ArgumentName", name)
}
