package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gogarage/garage/node/s3"
	"github.com/gogarage/garage/node/s3/s3test"
	"github.com/gogarage/garage/node/s3/s3xml"
	"github.com/gogarage/garage/node/web"
)

func put(t *testing.T, m *s3test.Mem, b s3.BucketID, key, body string) {
	t.Helper()
	meta := s3.ObjectMeta{
		Headers: []s3.Header{{Name: "Content-Type", Value: "text/html"}}}
	if _, err := m.Put(context.Background(), b, key, s3.PutInput{Body: strings.NewReader(body),
		Meta: meta}); err != nil {
		t.Fatal(err)
	}
}

func site(t *testing.T) *web.Handler {
	ctx := context.Background()
	m := s3test.NewMem(time.Now)
	b, _ := m.CreateBucket(ctx, "site", "")
	age := 60
	m.SetBucketConfig(ctx, b.ID, s3.BucketConfig{Which: s3.ConfigWebsite, Website: &s3xml.WebsiteConfiguration{
		IndexDocument: &s3xml.IndexDocument{Suffix: "index.html"}, ErrorDocument: &s3xml.ErrorDocument{Key: "err.html"}}})
	m.SetBucketConfig(ctx, b.ID, s3.BucketConfig{Which: s3.ConfigCORS, CORS: &s3xml.CORSConfiguration{Rules: []s3xml.CORSRule{
		{AllowedMethods: []string{"GET"}, AllowedOrigins: []string{"*"}, MaxAgeSeconds: &age}}}})
	put(t, m, b.ID, "index.html", "home")
	put(t, m, b.ID, "dir/index.html", "dir home")
	put(t, m, b.ID, "err.html", "oops")
	priv, _ := m.CreateBucket(ctx, "private", "")
	put(t, m, priv.ID, "index.html", "secret")
	return web.New(m, web.Config{RootDomain: ".web.garage"}, nil)
}

func TestWebsite(t *testing.T) {
	h := site(t)
	cases := []struct {
		host, path, origin string
		status             int
		body, location     string
	}{
		{"site.web.garage", "/", "", 200, "home", ""},
		{"site", "/index.html", "", 200, "home", ""},
		{"site.web.garage:3902", "/dir/", "", 200, "dir home", ""},
		{"site.web.garage", "/dir", "", 302, "", "/dir/"},
		{"site.web.garage", "/nope", "", 404, "oops", ""},
		{"private.web.garage", "/", "", 404, "", ""},
		{"missing.web.garage", "/", "", 404, "", ""},
		{"site.web.garage", "/", "https://x.example", 200, "home", ""},
	}
	for _, c := range cases {
		req := httptest.NewRequest("GET", "http://"+c.host+c.path, nil)
		if c.origin != "" {
			req.Header.Set("Origin", c.origin)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != c.status {
			t.Errorf("%s%s: status %d, want %d", c.host, c.path, rec.Code, c.status)
		}
		if c.body != "" && rec.Body.String() != c.body {
			t.Errorf("%s%s: body %q, want %q", c.host, c.path, rec.Body.String(), c.body)
		}
		if got := rec.Header().Get("Location"); got != c.location {
			t.Errorf("%s%s: location %q, want %q", c.host, c.path, got, c.location)
		}
		if strings.Contains(rec.Body.String(), "secret") {
			t.Errorf("%s%s: served a bucket without website", c.host, c.path)
		}
		if c.origin != "" && rec.Header().Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("%s%s: no CORS header: %v", c.host, c.path, rec.Header())
		}
	}
	req := httptest.NewRequest("PUT", "http://site.web.garage/x", nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("PUT: status %d, want 405", rec.Code)
	}
}
