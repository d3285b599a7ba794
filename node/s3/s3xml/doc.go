// Package s3xml owns the XML documents of the S3 API: the response bodies
// (bucket and object listings, multipart results, copy results), and the
// request bodies (bucket creation, batch delete, multipart completion,
// CORS, website, lifecycle and versioning configurations), which are also
// the bodies of the matching GET responses.
//
// Request bodies are parsed strictly: a body that is not one well-formed
// document with the expected root element, that carries content after it,
// or that breaks a rule of the S3 schema (limits, required elements,
// value ranges) is refused with MalformedXML or the more specific code S3
// uses (InvalidPartOrder, MaxMessageLengthExceeded, InvalidRequest,
// NotImplemented for features Garage does not have). Responses are
// encoded with the S3 namespace. The package is pure: no clock, no I/O
// but the io.Reader handed in.
package s3xml
