package s3xml

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/gogarage/garage/node/s3/s3err"
)

// Namespace is the XML namespace of S3 documents.
const Namespace = "http://s3.amazonaws.com/doc/2006-03-01/"

// MaxBody bounds the size of a request document.
const MaxBody = 2 << 20

// TimeFormat is how S3 documents write times: ISO 8601 in UTC with
// milliseconds.
const TimeFormat = "2006-01-02T15:04:05.000Z"

// Time is a time as S3 documents write it.
type Time time.Time

// MarshalText writes t in TimeFormat, in UTC.
func (t Time) MarshalText() ([]byte, error) {
	return []byte(time.Time(t).UTC().Format(TimeFormat)), nil
}

// UnmarshalText reads an RFC 3339 time (with or without fraction).
func (t *Time) UnmarshalText(b []byte) error {
	v, err := time.Parse(time.RFC3339Nano, string(b))
	if err != nil {
		return fmt.Errorf("time %q: %w", b, err)
	}
	*t = Time(v)
	return nil
}

// Marshal returns the XML document of v with the XML declaration. It
// panics if v cannot be encoded: response types always can.
func Marshal(v any) []byte {
	out, err := xml.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("s3xml: marshal %T: %v", v, err))
	}
	return append([]byte(xml.Header), out...)
}

// decode parses the single document of r (at most MaxBody bytes) into v,
// whose root element must be called root. Errors are MalformedXML or
// MaxMessageLengthExceeded.
func decode(r io.Reader, root string, v any) error {
	body, err := io.ReadAll(io.LimitReader(r, MaxBody+1))
	switch {
	case err != nil:
		return s3err.Wrap(s3err.IncompleteBody, fmt.Errorf("read %s: %w", root, err))
	case len(body) > MaxBody:
		return s3err.New(s3err.MaxMessageLengthExceeded, "Your request was too big: the %s document exceeds %d bytes.", root, MaxBody)
	}
	d := xml.NewDecoder(bytes.NewReader(body))
	if err := d.Decode(v); err != nil {
		return malformedf("%s: %v", root, err)
	}
	if err := checkRoot(body, root); err != nil {
		return err
	}
	return checkEnd(d)
}

// checkRoot checks the name and namespace of the document's root element.
func checkRoot(body []byte, root string) error {
	d := xml.NewDecoder(bytes.NewReader(body))
	for {
		tok, err := d.Token()
		if err != nil {
			return malformedf("%s: %v", root, err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			if se.Name.Local != root || se.Name.Space != "" && se.Name.Space != Namespace {
				return malformedf("the root element is {%s}%s, not %s", se.Name.Space, se.Name.Local, root)
			}
			return nil
		}
	}
}

// checkEnd checks that only white space, comments and processing
// instructions follow the root element.
func checkEnd(d *xml.Decoder) error {
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return malformedf("after the root element: %v", err)
		}
		switch t := tok.(type) {
		case xml.Comment, xml.ProcInst:
		case xml.CharData:
			if strings.TrimSpace(string(t)) != "" {
				return malformedf("text after the root element")
			}
		default:
			return malformedf("content after the root element")
		}
	}
}

// malformedf returns a MalformedXML error with a formatted detail.
func malformedf(format string, args ...any) error {
	return s3err.New(s3err.MalformedXML, s3err.MalformedXML.DefaultMessage()+" "+format, args...)
}

// encodeNS encodes v as the element name in the S3 namespace; the
// MarshalXML methods of documents that are both requests and responses
// use it.
func encodeNS(e *xml.Encoder, name string, v any) error {
	start := xml.StartElement{Name: xml.Name{Local: name}, Attr: []xml.Attr{{Name: xml.Name{Local: "xmlns"}, Value: Namespace}}}
	return e.EncodeElement(v, start)
}
