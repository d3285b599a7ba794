package s3

import (
	"bytes"
	"strconv"
	"time"

	"github.com/gogarage/garage/node/s3/s3err"
	"github.com/gogarage/garage/node/s3/s3req"
	"github.com/gogarage/garage/node/s3/s3xml"
)

func (c *call) deleteObject() (*Response, error) {
	if err := s3req.ValidateKey(c.r.Key); err != nil {
		return nil, err
	}
	ts, err := c.s.store.Delete(c.ctx, c.bucket.ID, c.r.Key)
	if err != nil {
		return nil, c.errf(err)
	}
	resp := noContent()
	setTimestamp(resp, ts)
	return resp, nil
}

// deleteObjects deletes the objects the request document names, one
// after the other, and reports each (only the failures when Quiet).
func (c *call) deleteObjects() (*Response, error) {
	b, err := c.readDocument()
	if err != nil {
		return nil, err
	}
	d, err := s3xml.ParseDelete(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	var out s3xml.DeleteResult
	for _, o := range d.Objects {
		err := s3req.ValidateKey(o.Key)
		if err == nil && o.VersionID != "" && o.VersionID != "null" {
			err = s3err.New(s3err.NoSuchVersion, "")
		}
		if err == nil {
			_, err = c.s.store.Delete(c.ctx, c.bucket.ID, o.Key)
		}
		if err != nil {
			e := toS3(err)
			out.Errors = append(out.Errors, s3xml.DeleteError{Key: o.Key, VersionID: o.VersionID, Code: string(e.Code), Message: e.Message})
			continue
		}
		if !d.Quiet {
			out.Deleted = append(out.Deleted, s3xml.Deleted{Key: o.Key, VersionID: o.VersionID})
		}
	}
	return xmlResponse(out), nil
}

// HeaderTimestamp is the header of a write's answer that carries the
// timestamp (Unix milliseconds) the write was given: what the checker's
// timestamp monotonicity judges. It is not part of S3; clients ignore it.
const HeaderTimestamp = "X-Garage-Timestamp"

// setTimestamp adds the timestamp of a write, if any.
func setTimestamp(resp *Response, ts time.Time) {
	if !ts.IsZero() {
		resp.set(HeaderTimestamp, strconv.FormatInt(ts.UnixMilli(), 10))
	}
}
