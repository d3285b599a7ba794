package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gogarage/garage/node/s3"
	"github.com/gogarage/garage/node/s3/cors"
	"github.com/gogarage/garage/node/s3/s3err"
	"github.com/gogarage/garage/node/s3/s3req"
	"github.com/gogarage/garage/node/s3/s3xml"
)

// Config is the web server's configuration ([s3_web]).
type Config struct {
	// RootDomain, if set, is stripped from host names to find the bucket
	// (".web.garage": "site.web.garage" serves bucket "site"); a host
	// outside it names the bucket by its whole name.
	RootDomain string
	// Index is the index document of a website whose configuration names
	// none ("index.html" if empty).
	Index string
}

// Handler serves the websites of the buckets of a store.
type Handler struct {
	cfg   Config
	store s3.Store
	log   *slog.Logger
}

var _ http.Handler = (*Handler)(nil)

// New returns the website handler over store.
func New(store s3.Store, cfg Config, log *slog.Logger) *Handler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Handler{cfg: cfg, store: store, log: log.With("part", "web")}
}

// BucketOf returns the bucket a host name addresses.
func BucketOf(host, rootDomain string) string {
	if b, ok := s3.VirtualHost(host, rootDomain); ok {
		return b
	}
	h := strings.ToLower(host)
	if i := strings.LastIndexByte(h, ':'); i >= 0 && !strings.HasSuffix(h, "]") {
		h = h[:i]
	}
	return h
}

// ServeHTTP serves one request; no panic escapes it.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			h.log.Error("panic in web handler", "host", r.Host, "path", r.URL.Path, "panic", p)
			http.Error(w, "internal error", http.StatusInternalServerError)
		}
	}()
	if err := h.serve(w, r); err != nil {
		h.fail(w, r, err)
	}
}

// site is the bucket a request reads.
type site struct {
	b     s3.Bucket
	name  string
	rules []s3xml.CORSRule
}

func (h *Handler) serve(w http.ResponseWriter, r *http.Request) error {
	name := BucketOf(r.Host, h.cfg.RootDomain)
	b, err := h.store.BucketByAlias(r.Context(), name)
	if errors.Is(err, s3.ErrNoSuchBucket) || (err == nil && b.Website == nil) {
		return s3err.New(s3err.NoSuchWebsiteConfiguration, "The specified bucket does not have a website configuration").WithResource(name)
	}
	if err != nil {
		return err
	}
	s := site{b: b, name: name}
	if b.CORS != nil {
		s.rules = b.CORS.Rules
	}
	switch r.Method {
	case http.MethodOptions:
		return h.preflight(w, r, s)
	case http.MethodGet, http.MethodHead:
	default:
		return s3err.New(s3err.MethodNotAllowed, "")
	}
	if rd := b.Website.RedirectAllRequestsTo; rd != nil {
		return redirectAll(w, r, rd)
	}
	h.addCORS(w, r, s)
	return h.page(w, r, s)
}

// preflight answers a CORS preflight from the bucket's rules.
func (h *Handler) preflight(w http.ResponseWriter, r *http.Request, s site) error {
	hs, err := cors.Preflight(s.rules, s3.PreflightRequest(r.Header.Get))
	if err != nil {
		return err
	}
	for _, hd := range hs {
		w.Header().Set(hd.Name, hd.Value)
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

func (h *Handler) addCORS(w http.ResponseWriter, r *http.Request, s site) {
	if origin := r.Header.Get("Origin"); origin != "" {
		for _, hd := range cors.Actual(s.rules, cors.Request{Origin: origin, Method: r.Method}) {
			w.Header().Set(hd.Name, hd.Value)
		}
	}
}

// redirectAll sends every request to another host.
func redirectAll(w http.ResponseWriter, r *http.Request, rd *s3xml.RedirectAllRequestsTo) error {
	proto := rd.Protocol
	if proto == "" {
		proto = "http"
	}
	w.Header().Set("Location", proto+"://"+rd.HostName+r.URL.EscapedPath())
	w.WriteHeader(http.StatusMovedPermanently)
	return nil
}

// page serves the object the path names, the directory's index, or the
// error document.
func (h *Handler) page(w http.ResponseWriter, r *http.Request, s site) error {
	ctx := r.Context()
	index := h.cfg.Index
	if index == "" {
		index = "index.html"
	}
	if d := s.b.Website.IndexDocument; d != nil && d.Suffix != "" {
		index = d.Suffix
	}
	key := strings.TrimPrefix(r.URL.Path, "/")
	if key == "" || strings.HasSuffix(key, "/") {
		key += index
	}
	obj, err := h.store.Head(ctx, s.b.ID, key)
	if errors.Is(err, s3.ErrNoSuchKey) {
		if h.isDir(ctx, s, key, index) {
			w.Header().Set("Location", (&url.URL{Path: r.URL.Path + "/"}).EscapedPath())
			w.WriteHeader(http.StatusFound)
			return nil
		}
		return h.errorDocument(w, r, s, err)
	}
	if err != nil {
		return err
	}
	return h.object(w, r, obj, http.StatusOK)
}

// isDir reports whether key (with no trailing slash) is a directory
// holding an index document.
func (h *Handler) isDir(ctx context.Context, s site, key, index string) bool {
	if strings.HasSuffix(key, "/"+index) || key == index {
		return false
	}
	_, err := h.store.Head(ctx, s.b.ID, key+"/"+index)
	return err == nil
}

// errorDocument serves the bucket's error document with status 404, or
// the plain error if it has none.
func (h *Handler) errorDocument(w http.ResponseWriter, r *http.Request, s site, cause error) error {
	notFound := s3err.Wrap(s3err.NoSuchKey, cause)
	d := s.b.Website.ErrorDocument
	if d == nil || d.Key == "" {
		return notFound
	}
	obj, err := h.store.Head(r.Context(), s.b.ID, d.Key)
	if err != nil {
		return notFound
	}
	return h.object(w, r, obj, http.StatusNotFound)
}

// object writes obj with status (a Range header is honoured for 200).
func (h *Handler) object(w http.ResponseWriter, r *http.Request, obj s3.Object, status int) error {
	if obj.Meta.SSE != nil {
		return s3err.New(s3err.InvalidRequest, "The object is encrypted with a customer key and cannot be served here.")
	}
	if err := s3req.ParseConditions(r.Header.Get).Check(obj.Meta.ETag, obj.Modified); err != nil {
		if s3err.Is(err, s3err.NotModified) {
			w.Header().Set("Etag", obj.Meta.ETag)
			w.WriteHeader(http.StatusNotModified)
			return nil
		}
		return err
	}
	start, length := int64(0), obj.Meta.Size
	if status == http.StatusOK {
		rg, partial, err := s3req.ParseRange(r.Header.Get("Range"), obj.Meta.Size)
		if err != nil {
			return err
		}
		if partial {
			start, length, status = rg.Start, rg.Length, http.StatusPartialContent
			w.Header().Set("Content-Range", rg.ContentRange(obj.Meta.Size))
		}
	}
	headers(w.Header(), obj)
	w.Header().Set("Content-Length", strconv.FormatInt(length, 10))
	w.WriteHeader(status)
	if r.Method == http.MethodHead || length == 0 {
		return nil
	}
	rc := s3.OpenPlain(r.Context(), h.store, obj, start, length)
	defer rc.Close()
	if _, err := io.Copy(w, rc); err != nil {
		h.log.Warn("website body cut", "key", obj.Key, "err", err)
	}
	return nil
}

// headers sets the stored headers of obj.
func headers(hd http.Header, obj s3.Object) {
	hd.Set("Content-Type", "binary/octet-stream")
	for _, x := range obj.Meta.Headers {
		hd.Set(x.Name, x.Value)
	}
	for _, m := range obj.Meta.UserMeta {
		hd.Set(m.Header(), m.Value)
	}
	hd.Set("Etag", obj.Meta.ETag)
	hd.Set("Last-Modified", obj.Modified.UTC().Format(http.TimeFormat))
	hd.Set("Accept-Ranges", "bytes")
}

// fail writes an error as a small HTML page with the S3 status.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	var e *s3err.Error
	if !errors.As(err, &e) {
		h.log.Warn("website request failed", "host", r.Host, "path", r.URL.Path, "err", err)
		e = s3err.Wrap(s3err.InternalError, err)
		if errors.Is(err, context.Canceled) {
			return
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(e.Status())
	if r.Method != http.MethodHead {
		fmt.Fprintf(w, "<html><head><title>%d %s</title></head><body><h1>%d %s</h1><p>%s</p></body></html>\n",
			e.Status(), http.StatusText(e.Status()), e.Status(), e.Code, htmlEscape(e.Message))
	}
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}
