package daemon

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/gogarage/garage/node/s3http"
	"github.com/gogarage/garage/node/web"
)

// s3Servers are the daemon's S3 API and website listeners.
type s3Servers struct {
	api, web     *http.Server
	apiLn, webLn net.Listener
}

// startS3 serves the node's S3 API on [s3_api] api_bind_addr and its
// websites on [s3_web] bind_addr, each if set.
func (d *Daemon) startS3() error {
	if addr := d.cfg.S3API.APIBindAddr; addr != "" {
		h := s3http.New(d.g.S3(), d.log.With("part", "s3"))
		srv, ln, err := d.serveHTTP("S3 API", addr, h)
		if err != nil {
			return err
		}
		d.s3.api, d.s3.apiLn = srv, ln
	}
	if addr := d.cfg.S3Web.BindAddr; addr != "" {
		h := web.New(d.g.S3Store(), web.Config{RootDomain: d.cfg.S3Web.RootDomain, Index: d.cfg.S3Web.Index},
			d.log.With("part", "web"))
		srv, ln, err := d.serveHTTP("website", addr, h)
		if err != nil {
			return err
		}
		d.s3.web, d.s3.webLn = srv, ln
	}
	return nil
}

// serveHTTP listens on addr and serves h there until the daemon stops.
func (d *Daemon) serveHTTP(what, addr string, h http.Handler) (*http.Server, net.Listener, error) {
	ln, err := listenHTTP(addr)
	if err != nil {
		return nil, nil, fmt.Errorf("%s on %s: %w", what, addr, err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute}
	d.wg.Add(1)
	go func() {
		defer d.wg.Done()
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			d.log.Error(what+" stopped", "err", err)
		}
	}()
	d.log.Info(what+" listening", "addr", ln.Addr().String())
	return srv, ln, nil
}

// stopS3 shuts the S3 API and website servers down, letting requests
// finish for a moment.
func (d *Daemon) stopS3() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, srv := range []*http.Server{d.s3.api, d.s3.web} {
		if srv != nil {
			srv.Shutdown(ctx)
		}
	}
}

// S3Addr returns the address the S3 API listens on ("" if none).
func (d *Daemon) S3Addr() string { return addrOf(d.s3.apiLn) }

// WebAddr returns the address the website server listens on ("" if
// none).
func (d *Daemon) WebAddr() string { return addrOf(d.s3.webLn) }

func addrOf(ln net.Listener) string {
	if ln == nil {
		return ""
	}
	return ln.Addr().String()
}
