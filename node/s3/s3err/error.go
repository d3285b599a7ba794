package s3err

import (
	"encoding/xml"
	"errors"
	"fmt"
)

// Error is a failure as an S3 client sees it: a code, a message, the
// resource it concerns, and optional extra fields of the XML body. Err is
// the cause, kept for logs and errors.Is; it never reaches the client.
type Error struct {
	Code     Code
	Message  string
	Resource string
	// Extra holds the code-specific elements of the body (for instance
	// RequestTime and ServerTime of RequestTimeTooSkewed), in order.
	Extra []Field
	Err   error
}

// Field is one extra element of an XML error body.
type Field struct {
	Name  string
	Value string
}

// New returns an error with code and a message formatted from format and
// args, or the code's default message when format is "".
func New(code Code, format string, args ...any) *Error {
	msg := code.DefaultMessage()
	if format != "" {
		msg = fmt.Sprintf(format, args...)
	}
	return &Error{Code: code, Message: msg}
}

// Wrap returns an error with code and its default message whose cause is
// err.
func Wrap(code Code, err error) *Error {
	return &Error{Code: code, Message: code.DefaultMessage(), Err: err}
}

// From returns err as an *Error: itself if it is or wraps one, an
// InternalError wrapping it otherwise, nil for nil.
func From(err error) *Error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return Wrap(InternalError, err)
}

// Is reports whether err is or wraps an *Error with code.
func Is(err error, code Code) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == code
}

// Status returns the HTTP status of the error's code.
func (e *Error) Status() int { return e.Code.Status() }

// Error returns "code: message", followed by the cause if any.
func (e *Error) Error() string {
	s := string(e.Code) + ": " + e.Message
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// WithResource returns a copy of e naming resource (for instance
// "/bucket/key").
func (e *Error) WithResource(resource string) *Error {
	c := *e
	c.Resource = resource
	return &c
}

// With returns a copy of e with one more extra body field.
func (e *Error) With(name, value string) *Error {
	c := *e
	c.Extra = append(append([]Field(nil), e.Extra...), Field{name, value})
	return &c
}

// Body returns the XML document S3 sends with the error, naming the
// request by requestID.
func (e *Error) Body(requestID string) []byte {
	doc := body{
		Code:      string(e.Code),
		Message:   e.Message,
		Resource:  e.Resource,
		RequestID: requestID,
	}
	for _, f := range e.Extra {
		doc.Extra = append(doc.Extra, xmlField{XMLName: xml.Name{Local: f.Name}, Value: f.Value})
	}
	out, err := xml.Marshal(doc)
	if err != nil {
		panic(fmt.Sprintf("s3err: marshal error body %+v: %v", doc, err))
	}
	return append([]byte(xml.Header), out...)
}

// body is the XML form of an error.
type body struct {
	XMLName   xml.Name   `xml:"Error"`
	Code      string     `xml:"Code"`
	Message   string     `xml:"Message"`
	Resource  string     `xml:"Resource,omitempty"`
	RequestID string     `xml:"RequestId"`
	Extra     []xmlField `xml:",any"`
}

// xmlField is an extra element of an error body.
type xmlField struct {
	XMLName xml.Name
	Value   string `xml:",chardata"`
}
