package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"slices"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
)

// steadyResult is what a steady-rate run found.
type steadyResult struct {
	name             string
	rate, achieved   float64 // requests per second asked and done
	failed           int
	p50, p99         time.Duration
	idleRSS, loadRSS float64 // MiB: before, and peak during
	sent             int     // requests sent
}

func (r steadyResult) String() string {
	return fmt.Sprintf("server=%s rate_req_s=%.0f achieved_req_s=%.1f failed=%d p50_ms=%.1f p99_ms=%.1f idle_rss_mib=%.1f load_rss_mib=%.1f",
		r.name, r.rate, r.achieved, r.failed, ms(r.p50), ms(r.p99), r.idleRSS, r.loadRSS)
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// steady sends small requests (PUT of 1 KiB, then GET of what was put,
// alternately, over 64 keys) at c.rate requests per second for
// c.duration, each on time whatever the previous ones take, and reports
// the rate achieved, the latencies and the server's RSS before and at
// its peak during the run: the memory of a node under a given load
// rather than flat out.
func steady(c config) (steadyResult, error) {
	ctx := context.Background()
	cl, err := bucketClient(ctx, c)
	if err != nil {
		return steadyResult{}, err
	}
	body := make([]byte, 1024)
	for k := range 64 { // every GET finds its object
		binary(body, k, 0)
		if _, err := cl.PutObject(ctx, &awss3.PutObjectInput{Bucket: aws.String(c.bucket),
			Key: aws.String(fmt.Sprintf("steady/%d", k)), Body: bytes.NewReader(body)}); err != nil {
			return steadyResult{}, fmt.Errorf("seed: %w", err)
		}
	}
	time.Sleep(time.Second)
	r := steadyResult{name: c.name, rate: c.rate, idleRSS: rss(c.pid)}
	peak := &peakRSS{pid: c.pid}
	stop := peak.watch()
	var mu sync.Mutex
	var lat []time.Duration
	var wg sync.WaitGroup
	interval := time.Duration(float64(time.Second) / c.rate)
	start := time.Now()
	for i := 0; ; i++ {
		at := start.Add(time.Duration(i) * interval)
		if at.Sub(start) >= c.duration {
			break
		}
		time.Sleep(time.Until(at))
		r.sent++
		wg.Go(func() {
			t0 := time.Now()
			key := aws.String(fmt.Sprintf("steady/%d", i%64))
			var err error
			if i%2 == 0 {
				b := make([]byte, 1024)
				binary(b, i%64, i)
				_, err = cl.PutObject(ctx, &awss3.PutObjectInput{Bucket: aws.String(c.bucket), Key: key, Body: bytes.NewReader(b)})
			} else {
				var o *awss3.GetObjectOutput
				if o, err = cl.GetObject(ctx, &awss3.GetObjectInput{Bucket: aws.String(c.bucket), Key: key}); err == nil {
					_, err = io.Copy(io.Discard, o.Body)
					o.Body.Close()
				}
			}
			d := time.Since(t0)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				r.failed++
				return
			}
			lat = append(lat, d)
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	stop()
	r.loadRSS = peak.max()
	r.achieved = float64(len(lat)) / elapsed.Seconds()
	if len(lat) > 0 {
		slices.Sort(lat)
		r.p50, r.p99 = lat[len(lat)/2], lat[min(len(lat)-1, len(lat)*99/100)]
	}
	return r, nil
}
