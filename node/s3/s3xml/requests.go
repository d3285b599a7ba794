package s3xml

import (
	"encoding/xml"
	"io"

	"github.com/gogarage/garage/node/s3/s3err"
)

// Limits of request documents.
const (
	MaxDeleteObjects = 1000
	MaxPartNumber    = 10000
)

// CreateBucketConfiguration is the optional body of CreateBucket.
type CreateBucketConfiguration struct {
	XMLName            xml.Name `xml:"CreateBucketConfiguration"`
	LocationConstraint string   `xml:"LocationConstraint"`
}

// ParseCreateBucketConfiguration parses the body of CreateBucket.
func ParseCreateBucketConfiguration(r io.Reader) (CreateBucketConfiguration, error) {
	var c CreateBucketConfiguration
	err := decode(r, "CreateBucketConfiguration", &c)
	return c, err
}

// ObjectIdentifier names one object of a DeleteObjects request.
type ObjectIdentifier struct {
	Key       string `xml:"Key"`
	VersionID string `xml:"VersionId,omitempty"`
}

// Delete is the body of DeleteObjects.
type Delete struct {
	XMLName xml.Name           `xml:"Delete"`
	Quiet   bool               `xml:"Quiet"`
	Objects []ObjectIdentifier `xml:"Object"`
}

// ParseDelete parses the body of DeleteObjects: 1 to 1000 objects, each
// with a key.
func ParseDelete(r io.Reader) (Delete, error) {
	var d Delete
	if err := decode(r, "Delete", &d); err != nil {
		return Delete{}, err
	}
	if len(d.Objects) == 0 || len(d.Objects) > MaxDeleteObjects {
		return Delete{}, malformedf("a Delete request names 1 to %d objects, not %d", MaxDeleteObjects, len(d.Objects))
	}
	for i, o := range d.Objects {
		if o.Key == "" {
			return Delete{}, malformedf("object %d of the Delete request has no key", i+1)
		}
	}
	return d, nil
}

// CompletedPart is one part of a CompleteMultipartUpload request.
type CompletedPart struct {
	PartNumber int    `xml:"PartNumber"`
	ETag       string `xml:"ETag"`
	Checksums
}

// CompleteMultipartUpload is the body of CompleteMultipartUpload.
type CompleteMultipartUpload struct {
	XMLName xml.Name        `xml:"CompleteMultipartUpload"`
	Parts   []CompletedPart `xml:"Part"`
}

// ParseCompleteMultipartUpload parses the body of CompleteMultipartUpload:
// at least one part, each numbered 1 to 10000 with an ETag, in strictly
// ascending order (InvalidPartOrder otherwise).
func ParseCompleteMultipartUpload(r io.Reader) (CompleteMultipartUpload, error) {
	var c CompleteMultipartUpload
	if err := decode(r, "CompleteMultipartUpload", &c); err != nil {
		return CompleteMultipartUpload{}, err
	}
	if len(c.Parts) == 0 {
		return CompleteMultipartUpload{}, malformedf("CompleteMultipartUpload names no part")
	}
	for i, p := range c.Parts {
		switch {
		case p.PartNumber < 1 || p.PartNumber > MaxPartNumber:
			return CompleteMultipartUpload{}, s3err.New(s3err.InvalidArgument, "Part number must be an integer between 1 and %d, inclusive, not %d.", MaxPartNumber, p.PartNumber)
		case p.ETag == "":
			return CompleteMultipartUpload{}, malformedf("part %d has no ETag", p.PartNumber)
		case i > 0 && p.PartNumber <= c.Parts[i-1].PartNumber:
			return CompleteMultipartUpload{}, s3err.New(s3err.InvalidPartOrder, "")
		}
	}
	return c, nil
}

// Versioning statuses.
const (
	VersioningEnabled   = "Enabled"
	VersioningSuspended = "Suspended"
)

// VersioningConfiguration is the body of PutBucketVersioning and
// GetBucketVersioning (empty Status: never enabled).
type VersioningConfiguration struct {
	XMLName   xml.Name `xml:"VersioningConfiguration"`
	Status    string   `xml:"Status,omitempty"`
	MfaDelete string   `xml:"MfaDelete,omitempty"`
}

// MarshalXML encodes the configuration in the S3 namespace.
func (v VersioningConfiguration) MarshalXML(e *xml.Encoder, _ xml.StartElement) error {
	type plain VersioningConfiguration
	return encodeNS(e, "VersioningConfiguration", plain(v))
}

// ParseVersioningConfiguration parses the body of PutBucketVersioning.
// Errors are MalformedXML, IllegalVersioningConfigurationException.
func ParseVersioningConfiguration(r io.Reader) (VersioningConfiguration, error) {
	var v VersioningConfiguration
	if err := decode(r, "VersioningConfiguration", &v); err != nil {
		return VersioningConfiguration{}, err
	}
	if v.Status != VersioningEnabled && v.Status != VersioningSuspended {
		return VersioningConfiguration{}, s3err.New(s3err.IllegalVersioningConfiguration, "The versioning status must be Enabled or Suspended, not %q.", v.Status)
	}
	if v.MfaDelete != "" && v.MfaDelete != "Enabled" && v.MfaDelete != "Disabled" {
		return VersioningConfiguration{}, s3err.New(s3err.IllegalVersioningConfiguration, "MfaDelete must be Enabled or Disabled, not %q.", v.MfaDelete)
	}
	return v, nil
}
