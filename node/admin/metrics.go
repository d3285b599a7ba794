package admin

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	dto "github.com/prometheus/client_model/go"
	"google.golang.org/protobuf/proto"

	"github.com/gogarage/garage/node/cluster"
)

// RPCStat counts the calls this node made to one peer's endpoint: what
// the real driver measures (host.Net.CallStats). Counts[i] calls took at
// most Bounds[i] seconds (cumulative).
type RPCStat struct {
	To, Endpoint  string
	Calls, Errors uint64
	Seconds       float64
	Bounds        []float64
	Counts        []uint64
}

// registerMetrics creates the registry's collectors: admin requests and
// cfg.Collectors (the node's state is read at scrape time by
// nodeGatherer).
func (s *Server) registerMetrics() {
	s.requests = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "api_admin_request_counter",
		Help: "Admin API requests, per endpoint and HTTP status."}, []string{"api_endpoint", "status_code"})
	s.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "api_admin_request_duration_seconds",
		Help: "Admin API request durations, per endpoint and HTTP status.", Buckets: prometheus.DefBuckets},
		[]string{"api_endpoint", "status_code"})
	s.registry.MustRegister(s.requests, s.latency)
	for _, c := range s.cfg.Collectors {
		s.registry.MustRegister(c)
	}
}

// metrics serves /metrics behind metrics_token (if set).
func (s *Server) metrics(w http.ResponseWriter, r *http.Request) {
	if err := s.authorize(r, s.cfg.MetricsToken, "metrics_token"); err != nil {
		writeError(w, r, err)
		return
	}
	all := prometheus.Gatherers{s.registry, nodeGatherer{s: s}}
	promhttp.HandlerFor(all, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError}).ServeHTTP(w, r)
}

// instrument counts and times the requests of endpoint.
func (s *Server) instrument(endpoint string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		start := s.cfg.Clock.Mono()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		h(sw, r)
		code := strconv.Itoa(sw.status)
		s.requests.WithLabelValues(endpoint, code).Inc()
		s.latency.WithLabelValues(endpoint, code).Observe((s.cfg.Clock.Mono() - start).Seconds())
	}
}

// statusWriter remembers the status a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// nodeGatherer reads the node's state at scrape time and renders it as
// metric families: a prometheus.Gatherer, beside the registry.
type nodeGatherer struct{ s *Server }

// Gather reads the cluster's health, the layout version, the table
// queues, the block manager's figures, the buckets, keys and objects, and
// the RPC statistics.
func (g nodeGatherer) Gather() ([]*dto.MetricFamily, error) {
	st := g.s.cfg.Node.Status()
	h := st.Health
	out := []*dto.MetricFamily{
		gaugeFamily("cluster_healthy", "1 if every storage node of the current layout is up.", b2f(h.Status == cluster.Healthy)),
		gaugeFamily("cluster_available", "1 if every partition has a write quorum.", b2f(h.Status != cluster.Unavailable)),
		gaugeFamily("cluster_known_nodes", "Nodes this node knows of, itself included.", float64(h.KnownNodes)),
		gaugeFamily("cluster_connected_nodes", "Nodes up, this node included.", float64(h.ConnectedNodes)),
		gaugeFamily("cluster_storage_nodes", "Storage nodes of the current layout.", float64(h.StorageNodes)),
		gaugeFamily("cluster_storage_nodes_up", "Storage nodes of the current layout that are up.", float64(h.StorageNodesUp)),
		gaugeFamily("cluster_partitions", "Partitions of the layout.", float64(h.Partitions)),
		gaugeFamily("cluster_partitions_quorum", "Partitions with a write quorum in every live layout version.", float64(h.PartitionsQuorum)),
		gaugeFamily("cluster_partitions_all_ok", "Partitions with every replica up.", float64(h.PartitionsAllOK)),
		gaugeFamily("cluster_layout_version", "Current layout version.", float64(st.LayoutVersion)),
	}
	for _, part := range []func() ([]*dto.MetricFamily, error){g.tables, g.blocks, g.objects} {
		fams, err := part()
		if err != nil {
			return out, err
		}
		out = append(out, fams...)
	}
	return append(out, g.rpc()...), nil
}

func (g nodeGatherer) tables() ([]*dto.MetricFamily, error) {
	stats, err := g.s.cfg.Node.TableStats()
	if err != nil {
		return nil, fmt.Errorf("table statistics: %w", err)
	}
	todo := family("table_merkle_updater_todo_queue_length", "Entries changed but not yet in the Merkle tree.", dto.MetricType_GAUGE)
	gc := family("table_gc_todo_queue_length", "Tombstones waiting for garbage collection.", dto.MetricType_GAUGE)
	queue := family("table_insert_queue_length", "Entries waiting to be written to other nodes (hooks of other tables).", dto.MetricType_GAUGE)
	for _, t := range stats {
		l := labels("table_name", t.Table)
		todo.Metric = append(todo.Metric, &dto.Metric{Label: l, Gauge: &dto.Gauge{Value: proto.Float64(float64(t.MerkleTodo))}})
		gc.Metric = append(gc.Metric, &dto.Metric{Label: l, Gauge: &dto.Gauge{Value: proto.Float64(float64(t.GCTodo))}})
		queue.Metric = append(queue.Metric, &dto.Metric{Label: l, Gauge: &dto.Gauge{Value: proto.Float64(float64(t.InsertQueue))}})
	}
	return []*dto.MetricFamily{todo, gc, queue}, nil
}

func (g nodeGatherer) rpc() []*dto.MetricFamily {
	if g.s.cfg.RPCStats == nil {
		return nil
	}
	calls := family("rpc_request_counter", "RPC calls this node made, per peer and endpoint.", dto.MetricType_COUNTER)
	errs := family("rpc_error_counter", "RPC calls this node made that failed (timeouts included).", dto.MetricType_COUNTER)
	dur := family("rpc_duration_seconds", "Durations of the RPC calls this node made.", dto.MetricType_HISTOGRAM)
	for _, st := range g.s.cfg.RPCStats() {
		l := labels("rpc_endpoint", st.Endpoint, "to", st.To)
		calls.Metric = append(calls.Metric, &dto.Metric{Label: l, Counter: &dto.Counter{Value: proto.Float64(float64(st.Calls))}})
		errs.Metric = append(errs.Metric, &dto.Metric{Label: l, Counter: &dto.Counter{Value: proto.Float64(float64(st.Errors))}})
		hist := &dto.Histogram{SampleCount: proto.Uint64(st.Calls), SampleSum: proto.Float64(st.Seconds)}
		for i, b := range st.Bounds {
			hist.Bucket = append(hist.Bucket, &dto.Bucket{UpperBound: proto.Float64(b), CumulativeCount: proto.Uint64(st.Counts[i])})
		}
		dur.Metric = append(dur.Metric, &dto.Metric{Label: l, Histogram: hist})
	}
	return []*dto.MetricFamily{calls, errs, dur}
}

func family(name, help string, typ dto.MetricType) *dto.MetricFamily {
	return &dto.MetricFamily{Name: proto.String(name), Help: proto.String(help), Type: typ.Enum()}
}

func gaugeFamily(name, help string, v float64) *dto.MetricFamily {
	f := family(name, help, dto.MetricType_GAUGE)
	f.Metric = []*dto.Metric{{Gauge: &dto.Gauge{Value: proto.Float64(v)}}}
	return f
}

// labels makes label pairs from name, value, name, value..., sorted by
// name as the exposition wants them.
func labels(kv ...string) []*dto.LabelPair {
	out := make([]*dto.LabelPair, 0, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, &dto.LabelPair{Name: proto.String(kv[i]), Value: proto.String(kv[i+1])})
	}
	return out
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
