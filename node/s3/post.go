package s3

import (
	"encoding/xml"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/url"
	"strconv"
	"strings"

	"github.com/gogarage/garage/node/s3/checksum"
	"github.com/gogarage/garage/node/s3/postpolicy"
	"github.com/gogarage/garage/node/s3/s3err"
	"github.com/gogarage/garage/node/s3/s3req"
	"github.com/gogarage/garage/node/s3/s3xml"
)

// maxFormField bounds one field of a POST form, and maxFormFields the
// fields before the file.
const (
	maxFormField  = 64 << 10
	maxFormFields = 100
)

// postForm is a POST upload's form: its fields, in order, up to the file,
// and the file part.
type postForm struct {
	fields   []postpolicy.Field
	file     *multipart.Part
	filename string
}

// postObject serves a browser upload (PostObject): the form's policy and
// signature stand for SigV4, the file part is the object's data.
func (c *call) postObject() (*Response, error) {
	form, err := c.readForm()
	if err != nil {
		return nil, err
	}
	v := postpolicy.Verifier{Region: c.s.cfg.Region, Secret: c.secrets()}
	up, err := v.Verify(form.fields, c.r.Bucket, form.filename, c.now)
	if err != nil {
		return nil, err
	}
	if err := c.authorizePost(up.Key); err != nil {
		return nil, err
	}
	obj, err := c.storePost(form, up)
	if err != nil {
		return nil, err
	}
	return c.postAnswer(up, obj)
}

// readForm reads the multipart form up to the file part.
func (c *call) readForm() (postForm, error) {
	mt, params, err := mime.ParseMediaType(c.r.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		return postForm{}, s3err.New(s3err.MalformedPOSTRequest, "The body of your POST request is not well-formed multipart/form-data.")
	}
	mr := multipart.NewReader(c.r.Body, params["boundary"])
	var f postForm
	for len(f.fields) <= maxFormFields {
		p, err := mr.NextPart()
		if err != nil {
			return f, s3err.Wrap(s3err.MalformedPOSTRequest, err)
		}
		if p.FormName() == "file" {
			f.file, f.filename = p, p.FileName()
			return f, nil
		}
		b, err := io.ReadAll(io.LimitReader(p, maxFormField+1))
		if err != nil || len(b) > maxFormField {
			return f, s3err.New(s3err.MalformedPOSTRequest, "A form field is too large or malformed.")
		}
		f.fields = append(f.fields, postpolicy.Field{Name: p.FormName(), Value: string(b)})
	}
	return f, s3err.New(s3err.MalformedPOSTRequest, "Too many form fields.")
}

// authorizePost resolves the bucket and checks the uploader may write in
// it.
func (c *call) authorizePost(key string) error {
	if err := s3req.ValidateKey(key); err != nil {
		return err
	}
	b, err := c.resolve(c.r.Bucket)
	if err != nil {
		return err
	}
	c.bucket = &b
	if !c.key.allows(b.ID, accessWrite) {
		return s3err.New(s3err.AccessDenied, "Access Denied: key %s may not write in bucket %s", c.key.ID, c.r.Bucket)
	}
	return nil
}

// storePost stores the file with the metadata the form's fields give.
func (c *call) storePost(form postForm, up postpolicy.Upload) (Object, error) {
	var meta ObjectMeta
	h := map[string][]string{}
	for name, v := range up.Fields { //det:ok builds a map; UserMetadata sorts
		h[name] = []string{v}
	}
	for _, name := range s3req.StoredHeaders() {
		if v, ok := up.Fields[strings.ToLower(name)]; ok {
			meta.Headers = append(meta.Headers, Header{name, v})
		}
	}
	um, err := s3req.UserMetadata(h)
	if err != nil {
		return Object{}, err
	}
	meta.UserMeta = um
	get := func(name string) string { return up.Fields[strings.ToLower(name)] }
	exp, err := checksum.ParseRequest(get, nil)
	if err != nil {
		return Object{}, err
	}
	body := &rangeReader{r: form.file, lr: up.Length}
	u := c.newUploadFrom(body, meta, nil, exp, nil)
	obj, err := c.s.store.Put(c.ctx, c.bucket.ID, up.Key, u.input())
	if err != nil {
		return obj, c.errf(err)
	}
	return obj, nil
}

// rangeReader enforces a policy's content-length-range on the file.
type rangeReader struct {
	r  io.Reader
	lr postpolicy.LengthRange
	n  int64
}

func (r *rangeReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	r.n += int64(n)
	if r.lr.Max >= 0 && r.n > r.lr.Max {
		return n, r.lr.Check(r.n)
	}
	if errors.Is(err, io.EOF) {
		if cerr := r.lr.Check(r.n); cerr != nil {
			return n, cerr
		}
	}
	return n, err
}

// postResponse is the document of a 201 answer to PostObject.
type postResponse struct {
	XMLName  xml.Name `xml:"PostResponse"`
	Location string   `xml:"Location"`
	Bucket   string   `xml:"Bucket"`
	Key      string   `xml:"Key"`
	ETag     string   `xml:"ETag"`
}

// postAnswer answers as the form asks: a redirect, or the status
// success_action_status names (204 by default).
func (c *call) postAnswer(up postpolicy.Upload, obj Object) (*Response, error) {
	loc := "/" + c.r.Bucket + "/" + up.Key
	if target := up.Fields["success_action_redirect"]; target != "" {
		if u, err := url.Parse(target); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
			q := u.Query()
			q.Set("bucket", c.r.Bucket)
			q.Set("key", up.Key)
			q.Set("etag", obj.Meta.ETag)
			u.RawQuery = q.Encode()
			r := newResponse(303)
			r.set("Location", u.String())
			r.set("Etag", obj.Meta.ETag)
			return r, nil
		}
	}
	status, _ := strconv.Atoi(up.Fields["success_action_status"])
	switch status {
	case 200:
		r := ok()
		r.set("Etag", obj.Meta.ETag)
		r.set("Location", loc)
		return r, nil
	case 201:
		r := newResponse(201).withBody(s3xml.Marshal(postResponse{Location: loc, Bucket: c.r.Bucket, Key: up.Key,
			ETag: obj.Meta.ETag}), "application/xml")
		r.set("Etag", obj.Meta.ETag)
		return r, nil
	}
	r := noContent()
	r.set("Etag", obj.Meta.ETag)
	r.set("Location", loc)
	return r, nil
}
