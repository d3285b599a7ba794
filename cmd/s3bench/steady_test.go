package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestSteadyKeepsTheRate runs the steady mode against a stub endpoint
// that answers every request: it sends rate × duration requests,
// alternately PUT and GET, and reads the RSS of the named process.
func TestSteadyKeepsTheRate(t *testing.T) {
	os.Unsetenv("AWS_CA_BUNDLE")
	var puts, gets atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == "PUT" && strings.Count(strings.Trim(r.URL.Path, "/"), "/") > 0:
			puts.Add(1)
		case r.Method == "GET":
			gets.Add(1)
			w.Write(make([]byte, 1024))
		}
	}))
	defer srv.Close()
	c := config{endpoint: srv.URL, key: "GK", secret: "s", region: "garage", bucket: "b", name: "stub",
		pid: os.Getpid(), rate: 50, duration: 2 * time.Second}
	r, err := steady(c)
	if err != nil {
		t.Fatal(err)
	}
	if r.failed != 0 || r.sent != 100 || r.achieved <= 0 {
		t.Errorf("steady: %v (sent %d), want 100 requests (50/s for 2 s), none failed", r, r.sent)
	}
	if g := gets.Load(); g != 50 || puts.Load() != 64+50 {
		t.Errorf("%d GETs and %d PUTs, want 50 and 64 seeding + 50", g, puts.Load())
	}
	if r.idleRSS <= 0 || r.loadRSS <= 0 {
		t.Errorf("RSS not read: %v", r)
	}
}
