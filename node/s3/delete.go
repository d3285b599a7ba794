package s3

import (
	"bytes"

	"github.com/gogarage/garage/node/s3/s3err"
	"github.com/gogarage/garage/node/s3/s3req"
	"github.com/gogarage/garage/node/s3/s3xml"
)

func (c *call) deleteObject() (*Response, error) {
	if err := s3req.ValidateKey(c.r.Key); err != nil {
		return nil, err
	}
	if err := c.s.store.Delete(c.ctx, c.bucket.ID, c.r.Key); err != nil {
		return nil, c.errf(err)
	}
	return noContent(), nil
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
			err = c.s.store.Delete(c.ctx, c.bucket.ID, o.Key)
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
