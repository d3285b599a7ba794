package daemon

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/gogarage/garage/node/admin"
)

// listenHTTP listens on a host:port, or on a Unix socket given by its
// absolute path (a stale socket file is replaced).
func listenHTTP(addr string) (net.Listener, error) {
	if strings.HasPrefix(addr, "/") {
		os.Remove(addr)
		return net.Listen("unix", addr)
	}
	return net.Listen("tcp", addr)
}

// startAdmin serves the admin HTTP API on admin.api_bind_addr, if set.
func (d *Daemon) startAdmin() error {
	addr := d.cfg.Admin.APIBindAddr
	if addr == "" {
		return nil
	}
	ln, err := listenHTTP(addr)
	if err != nil {
		return fmt.Errorf("admin API on %s: %w", addr, err)
	}
	d.admin = admin.New(admin.Config{
		Node: d.g, Clock: d.node.Env.Clock, AdminToken: d.cfg.Admin.AdminToken, MetricsToken: d.cfg.Admin.MetricsToken,
		RPCStats: d.rpcStats, Log: d.log.With("part", "admin"),
		Collectors: []prometheus.Collector{collectors.NewGoCollector(),
			collectors.NewProcessCollector(collectors.ProcessCollectorOpts{})},
	})
	d.adminLn = ln
	d.adminSrv = &http.Server{Handler: d.admin, ReadHeaderTimeout: 10 * time.Second}
	d.wg.Add(1)
	go func() {
		defer d.wg.Done()
		if err := d.adminSrv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			d.log.Error("admin API stopped", "err", err)
		}
	}()
	d.log.Info("admin API listening", "addr", ln.Addr().String())
	return nil
}

// stopAdmin shuts the admin API down, letting requests finish for a
// moment.
func (d *Daemon) stopAdmin() {
	if d.adminSrv == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	d.adminSrv.Shutdown(ctx)
}

// AdminAddr returns the address the admin API listens on ("" if none).
func (d *Daemon) AdminAddr() string {
	if d.adminLn == nil {
		return ""
	}
	return d.adminLn.Addr().String()
}

// rpcStats converts the real driver's call statistics for the metrics.
func (d *Daemon) rpcStats() []admin.RPCStat {
	stats := d.node.Net.CallStats()
	out := make([]admin.RPCStat, len(stats))
	for i, st := range stats {
		bounds := make([]float64, len(st.Bounds))
		for j, b := range st.Bounds {
			bounds[j] = b.Seconds()
		}
		out[i] = admin.RPCStat{To: string(st.To), Endpoint: st.Endpoint, Calls: st.Calls, Errors: st.Errors,
			Seconds: st.Sum.Seconds(), Bounds: bounds, Counts: st.Counts}
	}
	return out
}
