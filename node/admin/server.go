package admin

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/mux"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/gogarage/garage/node/garage"
	"github.com/gogarage/garage/node/rt"
)

// Config is what a Server needs.
type Config struct {
	Node  *garage.Node
	Clock rt.Clock
	// AdminToken guards /v2/*; empty disables those endpoints, as in
	// Garage. MetricsToken guards /metrics; empty leaves it open.
	AdminToken   string
	MetricsToken string
	// RPCStats, if set, returns the RPC statistics of the real driver.
	RPCStats func() []RPCStat
	// Collectors are further metrics to register (process, Go runtime).
	Collectors []prometheus.Collector
	// UsageEvery is how long /metrics reuses a walk of the data
	// directories (DefaultUsageEvery if zero).
	UsageEvery time.Duration
	Log        *slog.Logger
}

// Server is the admin HTTP API of one node; it is an http.Handler.
type Server struct {
	cfg      Config
	router   *mux.Router
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	usage    usageCache
}

// op is one /v2 endpoint: its HTTP method and what it does. A handler
// returns the value to send as JSON, or an error (see writeError).
type op struct {
	method string
	fn     func(r *http.Request) (any, error)
}

// New returns the admin API of cfg.Node.
func New(cfg Config) *Server {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	s := &Server{cfg: cfg, router: mux.NewRouter(), registry: prometheus.NewRegistry()}
	s.registerMetrics()
	s.router.HandleFunc("/health", s.instrument("Health", s.health)).Methods(http.MethodGet, http.MethodHead)
	s.router.HandleFunc("/metrics", s.instrument("Metrics", s.metrics)).Methods(http.MethodGet)
	ops := map[string]op{}
	s.clusterOps(ops)
	s.layoutOps(ops)
	s.bucketOps(ops)
	s.keyOps(ops)
	s.workerOps(ops)
	s.blockOps(ops)
	s.maintenanceOps(ops)
	for _, name := range sortedNames(ops) {
		s.router.HandleFunc("/v2/"+name, s.instrument(name, s.v2(name, ops[name])))
	}
	s.router.NotFoundHandler = s.instrument("NotFound", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, r, &Error{Status: http.StatusNotFound, Code: "NoSuchEndpoint",
			Msg: fmt.Sprintf("no endpoint %s %s (the operations are /v2/<Operation>, e.g. /v2/GetClusterStatus)", r.Method, r.URL.Path)})
	})
	return s
}

// ServeHTTP serves the admin API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.router.ServeHTTP(w, r) }

// v2 returns the handler of a /v2 operation: token, method, then the
// operation itself.
func (s *Server) v2(name string, o op) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := s.authorize(r, s.cfg.AdminToken, "admin_token"); err != nil {
			writeError(w, r, err)
			return
		}
		if r.Method != o.method {
			writeError(w, r, &Error{Status: http.StatusMethodNotAllowed, Code: "MethodNotAllowed",
				Msg: fmt.Sprintf("%s wants %s, got %s", name, o.method, r.Method)})
			return
		}
		v, err := o.fn(r)
		if err != nil {
			writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, v)
	}
}

// authorize checks the bearer token of r against want.
func (s *Server) authorize(r *http.Request, want, key string) error {
	if want == "" && key == "admin_token" {
		return &Error{Status: http.StatusForbidden, Code: "Forbidden",
			Msg: "the admin API is disabled: set admin.admin_token (or GARAGE_ADMIN_TOKEN) in the node's configuration"}
	}
	if want == "" {
		return nil
	}
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	switch {
	case r.Header.Get("Authorization") == "":
		return &Error{Status: http.StatusUnauthorized, Code: "Unauthorized",
			Msg: "missing Authorization: Bearer <token> header (the token is " + key + ")"}
	case !ok || !equalTokens(strings.TrimSpace(got), want):
		return &Error{Status: http.StatusForbidden, Code: "Forbidden", Msg: "invalid bearer token"}
	}
	return nil
}

// equalTokens compares tokens in time independent of where they differ.
func equalTokens(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	var d byte
	for i := range len(a) {
		d |= a[i] ^ b[i]
	}
	return d == 0
}

// Error is an error with its HTTP status and Garage-style code.
type Error struct {
	Status int
	Code   string
	Msg    string
}

func (e *Error) Error() string { return e.Msg }

// badRequest is a 400 InvalidRequest.
func badRequest(format string, args ...any) error {
	return &Error{Status: http.StatusBadRequest, Code: "InvalidRequest", Msg: fmt.Sprintf(format, args...)}
}

// errorBody is the JSON body of every error.
type errorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Path    string `json:"path"`
}

// writeError writes err as JSON with its status: an *Error as it is, the
// node's errors as classify maps them.
func writeError(w http.ResponseWriter, r *http.Request, err error) {
	var e *Error
	if !errors.As(err, &e) {
		e = classify(err)
	}
	if e.Status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="garage admin"`)
	}
	writeJSON(w, e.Status, errorBody{Code: e.Code, Message: e.Msg, Path: r.URL.Path})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"code":"InternalError","message":"encode reply"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)+1))
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

// decodeBody reads a JSON request body into v, refusing unknown fields.
func decodeBody(r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return badRequest("bad JSON body: %v", err)
	}
	return nil
}

func sortedNames(ops map[string]op) []string {
	names := make([]string, 0, len(ops))
	for n := range ops {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// decodeOptionalBody is decodeBody for operations whose body may be
// empty.
func decodeOptionalBody(r *http.Request, v any) error {
	b, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, 1<<20))
	if err != nil {
		return badRequest("read the body: %v", err)
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil
	}
	if err := decodeStrict(b, v); err != nil {
		return badRequest("bad JSON body: %v", err)
	}
	return nil
}

// decodeStrict unmarshals b into v, refusing unknown fields.
func decodeStrict(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// splitLines splits text into its non-empty lines.
func splitLines(text string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}
