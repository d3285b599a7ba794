// Command s3bench measures an S3 endpoint's throughput with
// aws-sdk-go-v2: PUT of objects of -put-size bytes (MiB/s) and GET of
// objects of -get-size bytes (objects/s), with concurrent clients for a
// fixed time each, and, given the server's pid, its resident memory idle
// and at its peak under load. It runs against any endpoint (our node, a
// MinIO server) so that both are measured by the same client in the same
// run.
//
//	s3bench -endpoint http://127.0.0.1:3900 -key GK... -secret ... -pid 1234
//
// # Comparing with MinIO
//
// With -compare it starts the servers itself on loopback, a fresh state
// directory each time: a single node (garage server --single-node, with
// data_fsync and metadata_fsync on, as MinIO always syncs; -fsync=false
// turns them off on the node only) and a MinIO server on one drive,
// alternately, -rounds times each per configuration. It prints every
// run, then per configuration the medians and the ratios node/MinIO
// (above 1 the node is faster, or for RSS larger), then a table of
// all configurations. The comparison of record, from the repository
// root (about 15 minutes on two cores):
//
//	go build -o /tmp/garage ./cmd/garage && go build -o /tmp/s3bench ./cmd/s3bench
//	/tmp/s3bench -compare -garage /tmp/garage -minio /work/minio-bin/minio \
//		-sizes 4KiB,1MiB,16MiB -concurrency 1,8 -rounds 3 -duration 4s
//
// -sizes sets both the PUT and the GET size (the GET phase reads fewer
// objects of a large size, so that seeding writes at most 256 MiB);
// without -sizes and -concurrency one configuration is measured, from
// -put-size, -get-size and -clients. -garage takes several binaries,
// comma-separated, to measure a change against the same MinIO runs
// (each is named by its file name, so build them under different
// names). The machine should be otherwise idle: the medians absorb
// some noise, not a busy neighbour. AWS_CA_BUNDLE is ignored (loopback
// HTTP).
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
)

type config struct {
	endpoint, key, secret, region, bucket, name string
	clients                                     int
	duration                                    time.Duration
	putSize, getSize, getObjects                int
	pid                                         int
	rate                                        float64
	phases                                      string // "put,get", or one of them
}

func main() {
	var c config
	var cmp compareConfig
	flag.StringVar(&c.endpoint, "endpoint", "http://127.0.0.1:3900", "S3 endpoint")
	flag.StringVar(&c.key, "key", "", "access key id")
	flag.StringVar(&c.secret, "secret", "", "secret access key")
	flag.StringVar(&c.region, "region", "garage", "region")
	flag.StringVar(&c.bucket, "bucket", "bench", "bucket (created if missing)")
	flag.StringVar(&c.name, "name", "server", "name of the server in the output")
	flag.IntVar(&c.clients, "clients", 8, "concurrent clients")
	flag.DurationVar(&c.duration, "duration", 15*time.Second, "duration of each phase")
	flag.IntVar(&c.putSize, "put-size", 1<<20, "size of PUT objects")
	flag.IntVar(&c.getSize, "get-size", 64<<10, "size of GET objects")
	flag.IntVar(&c.getObjects, "get-objects", 256, "objects the GET phase reads")
	flag.StringVar(&c.phases, "phases", "put,get", "phases to run: put,get or one of them (to profile one)")
	flag.IntVar(&c.pid, "pid", 0, "pid of the server, to report its RSS")
	flag.Float64Var(&c.rate, "rate", 0, "instead of the throughput phases, send this many small requests per second (1 KiB PUT and GET alternately) for -duration and report latency and the server's RSS")
	cmp.flags(flag.CommandLine)
	flag.Usage = usage
	prof := flag.String("cpuprofile", "", "write a CPU profile of s3bench itself (the client side) to this file")
	flag.Parse()
	os.Unsetenv("AWS_CA_BUNDLE")
	if *prof != "" {
		f, err := os.Create(*prof)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "s3bench: -cpuprofile:", err)
			os.Exit(1)
		}
		defer func() { pprof.StopCPUProfile(); f.Close() }()
	}
	var err error
	switch {
	case c.phases != "put,get" && c.phases != "get,put" && c.phases != "put" && c.phases != "get":
		err = fmt.Errorf("-phases: got %q, want put,get or put or get", c.phases)
	case cmp.on:
		err = compare(c, cmp)
	case c.rate > 0:
		var r steadyResult
		if r, err = steady(c); err == nil {
			fmt.Println(r)
		}
	default:
		err = single(c)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "s3bench:", err)
		os.Exit(1)
	}
}

// usage prints how to run the comparison with MinIO, then the flags.
func usage() {
	out := flag.CommandLine.Output()
	fmt.Fprint(out, `usage: s3bench [flags]

Measures PUT (MiB/s) and GET (objects/s) of an S3 endpoint:
  s3bench -endpoint http://127.0.0.1:3900 -key GK... -secret ... -pid 1234

Compares a single node with MinIO (fresh servers on loopback, alternately,
fsync matched; prints every run, medians, ratios node/MinIO and RSS):
  go build -o /tmp/garage ./cmd/garage && go build -o /tmp/s3bench ./cmd/s3bench
  /tmp/s3bench -compare -garage /tmp/garage -minio /work/minio-bin/minio \
      -sizes 4KiB,1MiB,16MiB -concurrency 1,8 -rounds 3 -duration 4s
-garage takes several binaries, comma-separated (a build before and after a change).

`)
	flag.PrintDefaults()
}

// single measures the endpoint of c once and prints the figures.
func single(c config) error {
	r, err := measure(c)
	if err != nil {
		return err
	}
	fmt.Println(r)
	return nil
}

// result is what one measurement found.
type result struct {
	name            string
	putMiBs, getOps float64
	idleRSS, load   float64 // MiB: idle RSS, and peak RSS under load
	// CPU time (user + system) the server spent per MiB put (ms) and per
	// object got (µs): what a server costs, less sensitive than
	// throughput to the other load of a shared machine.
	putCPU, getCPU float64
	// The same for this client (s3bench itself), which shares the
	// machine: a server whose responses cost its clients more shows here.
	putClientCPU, getClientCPU float64
}

func (r result) String() string {
	return fmt.Sprintf("server=%s put_mib_s=%.1f get_obj_s=%.0f idle_rss_mib=%.1f load_rss_mib=%.1f put_cpu_ms_mib=%.2f get_cpu_us_obj=%.0f client_put_cpu_ms_mib=%.2f client_get_cpu_us_obj=%.0f",
		r.name, r.putMiBs, r.getOps, r.idleRSS, r.load, r.putCPU, r.getCPU, r.putClientCPU, r.getClientCPU)
}

// measure runs the PUT phase, seeds the GET objects and runs the GET
// phase against c's endpoint.
func measure(c config) (result, error) {
	ctx := context.Background()
	cl, err := bucketClient(ctx, c)
	if err != nil {
		return result{}, err
	}
	r := result{name: c.name, idleRSS: rss(c.pid)}
	peak := &peakRSS{pid: c.pid}
	stop := peak.watch()
	defer stop()
	if strings.Contains(c.phases, "put") {
		cpu0, self0 := cpuTime(c.pid), cpuTime(os.Getpid())
		n, dur, err := phase(c, func(id, n int) error {
			body := make([]byte, c.putSize)
			binary(body, id, n)
			_, err := cl.PutObject(ctx, &awss3.PutObjectInput{Bucket: aws.String(c.bucket),
				Key: aws.String(fmt.Sprintf("put/%d/%d", id, n)), Body: bytes.NewReader(body)})
			return err
		})
		if err != nil {
			return r, fmt.Errorf("put phase: %w", err)
		}
		mib := float64(n) * float64(c.putSize) / (1 << 20)
		r.putMiBs = mib / dur.Seconds()
		if cpu1 := cpuTime(c.pid); n > 0 && cpu0 >= 0 && cpu1 >= 0 {
			r.putCPU = (cpu1 - cpu0).Seconds() * 1e3 / mib
			r.putClientCPU = (cpuTime(os.Getpid()) - self0).Seconds() * 1e3 / mib
		}
	}
	if strings.Contains(c.phases, "get") {
		if err := seed(ctx, cl, c); err != nil {
			return r, err
		}
		cpu0, self0 := cpuTime(c.pid), cpuTime(os.Getpid())
		n, dur, err := phase(c, func(id, n int) error {
			k := fmt.Sprintf("get/%d", rand.IntN(c.getObjects))
			o, err := cl.GetObject(ctx, &awss3.GetObjectInput{Bucket: aws.String(c.bucket), Key: aws.String(k)})
			if err != nil {
				return err
			}
			_, err = io.Copy(io.Discard, o.Body)
			o.Body.Close()
			return err
		})
		if err != nil {
			return r, fmt.Errorf("get phase: %w", err)
		}
		r.getOps = float64(n) / dur.Seconds()
		if cpu1 := cpuTime(c.pid); n > 0 && cpu0 >= 0 && cpu1 >= 0 {
			r.getCPU = (cpu1 - cpu0).Seconds() * 1e6 / float64(n)
			r.getClientCPU = (cpuTime(os.Getpid()) - self0).Seconds() * 1e6 / float64(n)
		}
	}
	r.load = max(peak.max(), hwm(c.pid))
	return r, nil
}

// bucketClient returns a client of c's endpoint, path style, and creates
// c's bucket if it is missing.
func bucketClient(ctx context.Context, c config) (*awss3.Client, error) {
	cl := awss3.New(awss3.Options{Region: c.region, BaseEndpoint: aws.String(c.endpoint), UsePathStyle: true,
		Credentials: credentials.NewStaticCredentialsProvider(c.key, c.secret, "")})
	if _, err := cl.CreateBucket(ctx, &awss3.CreateBucketInput{Bucket: aws.String(c.bucket)}); err != nil &&
		!strings.Contains(err.Error(), "BucketAlready") {
		return nil, fmt.Errorf("create bucket: %w", err)
	}
	return cl, nil
}

// phase runs op in c.clients loops for c.duration and returns the
// operations done and the time taken.
func phase(c config, op func(id, n int) error) (int64, time.Duration, error) {
	var done atomic.Int64
	var firstErr error
	var once sync.Once
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(c.duration)
	for id := range c.clients {
		wg.Go(func() {
			for n := 0; time.Now().Before(deadline); n++ {
				if err := op(id, n); err != nil {
					once.Do(func() { firstErr = err })
					return
				}
				done.Add(1)
			}
		})
	}
	wg.Wait()
	return done.Load(), time.Since(start), firstErr
}

// seed writes the objects of the GET phase.
func seed(ctx context.Context, cl *awss3.Client, c config) error {
	body := make([]byte, c.getSize)
	for i := range c.getObjects {
		binary(body, -1, i)
		if _, err := cl.PutObject(ctx, &awss3.PutObjectInput{Bucket: aws.String(c.bucket),
			Key: aws.String(fmt.Sprintf("get/%d", i)), Body: bytes.NewReader(body)}); err != nil {
			return fmt.Errorf("seed get/%d: %w", i, err)
		}
	}
	return nil
}

// binary fills b with bytes unique to (id, n), so that no two objects
// deduplicate.
func binary(b []byte, id, n int) {
	r := rand.New(rand.NewPCG(uint64(id)+1, uint64(n)))
	for i := 0; i+8 <= len(b); i += 8 {
		v := r.Uint64()
		for j := range 8 {
			b[i+j] = byte(v >> (8 * j))
		}
	}
}

// cpuTime returns the CPU time (user + system) pid used so far, -1 if
// unknown.
func cpuTime(pid int) time.Duration {
	if pid <= 0 {
		return -1
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return -1
	}
	// The fields after the command name (which may hold spaces), from
	// the 3rd: utime and stime are the 14th and 15th, in clock ticks.
	_, rest, ok := strings.Cut(string(b), ") ")
	f := strings.Fields(rest)
	if !ok || len(f) < 13 {
		return -1
	}
	ut, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return -1
	}
	return time.Duration(ut+st) * time.Second / clockTicks
}

// clockTicks is USER_HZ, the unit of /proc/<pid>/stat times: 100 on
// every Linux architecture Go supports.
const clockTicks = 100

// rss returns the resident memory of pid in MiB (VmRSS), 0 if unknown.
func rss(pid int) float64 { return status(pid, "VmRSS:") }

// hwm returns the peak resident memory of pid in MiB (VmHWM), 0 if
// unknown.
func hwm(pid int) float64 { return status(pid, "VmHWM:") }

// status returns a field of /proc/<pid>/status given in kB, in MiB.
func status(pid int, field string) float64 {
	if pid <= 0 {
		return 0
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == field {
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return 0
}

// peakRSS samples a process's RSS every 100 ms.
type peakRSS struct {
	pid  int
	mu   sync.Mutex
	peak float64
}

func (p *peakRSS) watch() (stop func()) {
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				v := rss(p.pid)
				p.mu.Lock()
				p.peak = max(p.peak, v)
				p.mu.Unlock()
			}
		}
	}()
	var once sync.Once
	return func() { once.Do(func() { close(done) }) }
}

func (p *peakRSS) max() float64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.peak
}
