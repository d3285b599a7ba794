package s3

import (
	"bytes"

	"github.com/gogarage/garage/node/s3/cors"
	"github.com/gogarage/garage/node/s3/s3err"
	"github.com/gogarage/garage/node/s3/s3xml"
)

func (c *call) getWebsite() (*Response, error) {
	if c.bucket.Website == nil {
		return nil, s3err.New(s3err.NoSuchWebsiteConfiguration, "")
	}
	return xmlResponse(*c.bucket.Website), nil
}

func (c *call) putWebsite() (*Response, error) {
	b, err := c.readDocument()
	if err != nil {
		return nil, err
	}
	w, err := s3xml.ParseWebsiteConfiguration(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	return c.setConfig(BucketConfig{Which: ConfigWebsite, Website: &w}, ok())
}

func (c *call) deleteWebsite() (*Response, error) {
	return c.setConfig(BucketConfig{Which: ConfigWebsite}, noContent())
}

func (c *call) getCORS() (*Response, error) {
	if c.bucket.CORS == nil {
		return nil, s3err.New(s3err.NoSuchCORSConfiguration, "")
	}
	return xmlResponse(*c.bucket.CORS), nil
}

func (c *call) putCORS() (*Response, error) {
	b, err := c.readDocument()
	if err != nil {
		return nil, err
	}
	cfg, err := s3xml.ParseCORSConfiguration(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	return c.setConfig(BucketConfig{Which: ConfigCORS, CORS: &cfg}, ok())
}

func (c *call) deleteCORS() (*Response, error) {
	return c.setConfig(BucketConfig{Which: ConfigCORS}, noContent())
}

func (c *call) getLifecycle() (*Response, error) {
	if c.bucket.Lifecycle == nil {
		return nil, s3err.New(s3err.NoSuchLifecycleConfiguration, "")
	}
	return xmlResponse(*c.bucket.Lifecycle), nil
}

func (c *call) putLifecycle() (*Response, error) {
	b, err := c.readDocument()
	if err != nil {
		return nil, err
	}
	cfg, err := s3xml.ParseLifecycleConfiguration(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	return c.setConfig(BucketConfig{Which: ConfigLifecycle, Lifecycle: &cfg}, ok())
}

func (c *call) deleteLifecycle() (*Response, error) {
	return c.setConfig(BucketConfig{Which: ConfigLifecycle}, noContent())
}

// setConfig stores a configuration of the bucket and answers resp.
func (c *call) setConfig(cfg BucketConfig, resp *Response) (*Response, error) {
	if err := c.s.store.SetBucketConfig(c.ctx, c.bucket.ID, cfg); err != nil {
		return nil, c.errf(err)
	}
	return resp, nil
}

// preflight answers a CORS preflight (OPTIONS) request, which is never
// signed, from the CORS rules of the bucket its global alias names.
func (c *call) preflight() (*Response, error) {
	if c.r.Bucket == "" {
		return nil, s3err.New(s3err.AccessDenied, "CORSResponse: this CORS request is not allowed")
	}
	b, err := c.resolve(c.r.Bucket)
	if err != nil {
		return nil, err
	}
	var rules []s3xml.CORSRule
	if b.CORS != nil {
		rules = b.CORS.Rules
	}
	hs, err := cors.Preflight(rules, PreflightRequest(c.r.Get))
	if err != nil {
		return nil, err
	}
	resp := ok()
	for _, h := range hs {
		resp.set(h.Name, h.Value)
	}
	return resp, nil
}

// PreflightRequest reads the CORS request of an OPTIONS request through
// its header lookup.
func PreflightRequest(get func(string) string) cors.Request {
	return cors.Request{Origin: get("Origin"), Method: get("Access-Control-Request-Method"),
		Headers: cors.ParseRequestHeaders(get("Access-Control-Request-Headers"))}
}
