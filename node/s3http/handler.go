package s3http

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"sync"

	"github.com/gorilla/mux"

	"github.com/gogarage/garage/node/s3"
	"github.com/gogarage/garage/node/s3/s3err"
	"github.com/gogarage/garage/node/s3/sigv4"
)

// Handler is the S3 API over HTTP: it finds the bucket and key a request
// addresses (path or virtual-host style), routes it with gorilla/mux to
// its endpoint, hands it to the S3 service and writes the answer. It is
// the same handler in a real node's listener and in the simulator, where
// clients call ServeHTTP from a task with a recorder.
type Handler struct {
	svc    *s3.Service
	router *mux.Router
	log    *slog.Logger
	bufs   sync.Pool // *[]byte buffers copying response bodies
}

var _ http.Handler = (*Handler)(nil)

// New returns the HTTP handler of svc; log receives the panics it
// recovers (nil: discarded).
func New(svc *s3.Service, log *slog.Logger) *Handler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	h := &Handler{svc: svc, log: log}
	h.bufs.New = func() any { b := make([]byte, 256<<10); return &b }
	h.router = newRouter(h.endpoint)
	return h
}

// ctxKey keys the request's target in its context.
type ctxKey struct{}

// addressed is what the adapter found before routing: the target and the
// parsed query.
type addressed struct {
	target
	query url.Values
}

func targetOf(r *http.Request) addressed {
	a, _ := r.Context().Value(ctxKey{}).(addressed)
	return a
}

// ServeHTTP locates the request's target and routes it. No panic escapes:
// one raised before the answer started becomes an InternalError answer.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	tw := &trackingWriter{ResponseWriter: w}
	defer h.recoverPanic(tw, r)
	b, k, err := s3.Locate(r.Host, r.URL.EscapedPath(), h.svc.Config().RootDomain)
	if err != nil {
		h.write(tw, h.svc.Error(r.Method, err))
		return
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		h.write(tw, h.svc.Error(r.Method, s3err.New(s3err.InvalidArgument, "malformed query string")))
		return
	}
	a := addressed{target: target{bucket: b, key: k}, query: q}
	h.router.ServeHTTP(tw, r.WithContext(context.WithValue(r.Context(), ctxKey{}, a)))
}

// recoverPanic turns a panic into an InternalError answer if nothing was
// written yet; otherwise the connection is cut (the body is incomplete).
func (h *Handler) recoverPanic(w *trackingWriter, r *http.Request) {
	p := recover()
	if p == nil {
		return
	}
	if p == http.ErrAbortHandler {
		panic(p)
	}
	h.log.Error("panic in S3 handler", "method", r.Method, "path", r.URL.Path, "panic", p)
	if !w.wrote {
		h.write(w, h.svc.Error(r.Method, s3err.New(s3err.InternalError, "")))
		return
	}
	panic(http.ErrAbortHandler)
}

// endpoint returns the handler of one endpoint.
func (h *Handler) endpoint(ep s3.Endpoint) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a := targetOf(r)
		req := &s3.Request{
			Request: sigv4.Request{Method: r.Method, RawPath: r.URL.EscapedPath(), RawQuery: r.URL.RawQuery,
				Host: r.Host, Header: r.Header},
			Bucket: a.bucket, Key: a.key, ContentLength: r.ContentLength, Body: r.Body, Query: a.query,
		}
		resp := h.svc.Serve(r.Context(), ep, req)
		if resp.Close != nil {
			defer resp.Close()
		}
		h.write(w, resp)
	})
}

// write writes resp: headers, status and body.
func (h *Handler) write(w http.ResponseWriter, resp *s3.Response) {
	hd := w.Header()
	for k, vs := range resp.Header { //det:ok header order does not matter
		hd[k] = vs
	}
	w.WriteHeader(resp.Status)
	if resp.Body == nil {
		return
	}
	buf := h.bufs.Get().(*[]byte)
	defer h.bufs.Put(buf)
	if _, err := io.CopyBuffer(onlyWriter{w}, resp.Body, *buf); err != nil {
		// The status is sent: cut the answer short, so that the client
		// sees an incomplete body rather than a wrong one.
		h.log.Warn("response body cut", "err", err)
		panic(http.ErrAbortHandler)
	}
}

// onlyWriter hides a writer's ReadFrom, so that CopyBuffer uses the
// buffer.
type onlyWriter struct{ io.Writer }

// trackingWriter remembers whether the answer started.
type trackingWriter struct {
	http.ResponseWriter
	wrote bool
}

func (t *trackingWriter) WriteHeader(code int) {
	t.wrote = true
	t.ResponseWriter.WriteHeader(code)
}

func (t *trackingWriter) Write(b []byte) (int, error) {
	t.wrote = true
	return t.ResponseWriter.Write(b)
}

// Unwrap exposes the writer to http.ResponseController.
func (t *trackingWriter) Unwrap() http.ResponseWriter { return t.ResponseWriter }
