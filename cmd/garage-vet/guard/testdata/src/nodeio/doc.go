// Package nodeio is the fixture of the nodeio analyser, run with
// -scope=nodeio/... -exempt=nodeio/driver/... -http=nodeio/s3http.
package nodeio
