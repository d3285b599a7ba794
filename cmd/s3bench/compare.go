package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// compareConfig is the -compare mode: a fresh single node (garage server
// --single-node) and a fresh MinIO server (single drive) on loopback,
// measured alternately, rounds times each.
//
// Durability is matched: MinIO syncs every write and has no switch to
// stop (fdatasync of each part file, O_DSYNC on xl.meta), so by default
// the node runs with data_fsync and metadata_fsync on; -fsync=false turns
// both off on the node only, and the output says so.
type compareConfig struct {
	on            bool
	garage, minio string
	rounds        int
	dir           string
	fsync         bool
	settle        time.Duration
	sizes         string // object sizes, each measured for PUT and GET
	concurrency   string // client counts
}

func (cc *compareConfig) flags(fs *flag.FlagSet) {
	fs.BoolVar(&cc.on, "compare", false, "start a single node and a MinIO server alternately and measure both")
	fs.StringVar(&cc.garage, "garage", "garage", "compare: the garage binary; several, comma-separated, are measured in turn\n(e.g. a build before and after a change), each named by its file name")
	fs.StringVar(&cc.minio, "minio", "minio", "compare: the minio binary")
	fs.IntVar(&cc.rounds, "rounds", 3, "compare: runs of each server")
	fs.StringVar(&cc.dir, "dir", "", "compare: where the servers keep their state (default: a temporary directory)")
	fs.BoolVar(&cc.fsync, "fsync", true, "compare: data_fsync and metadata_fsync of the node (MinIO always syncs)")
	fs.DurationVar(&cc.settle, "settle", 3*time.Second, "compare: wait after a start before the idle RSS is read")
	fs.StringVar(&cc.sizes, "sizes", "", "compare: object sizes, comma-separated (4KiB,1MiB,16MiB), each used for both PUT\nand GET and measured at every -concurrency (default: -put-size and -get-size)")
	fs.StringVar(&cc.concurrency, "concurrency", "", "compare: client counts, comma-separated (1,8) (default: -clients)")
}

// compare measures every configuration (size and concurrency) in turn,
// then prints a table of the ratios of each.
func compare(c config, cc compareConfig) (err error) {
	root := cc.dir
	if root == "" {
		if root, err = os.MkdirTemp("", "s3bench-"); err != nil {
			return err
		}
		defer func() {
			if err == nil { // else the failed run's state and server log stay
				os.RemoveAll(root)
			}
		}()
	}
	configs, err := cc.configs(c)
	if err != nil {
		return err
	}
	servers := append(garageServers(cc.garage), server{kind: minioKind, bin: cc.minio, name: "minio"})
	var table []string
	for i, c := range configs {
		meds, err := compareOne(c, cc, servers, filepath.Join(root, fmt.Sprint(i)))
		if err != nil {
			return err
		}
		for _, o := range meds[:len(meds)-1] {
			table = append(table, fmt.Sprintf("%-14s %9s %7d %9.1f %9.1f %5.2fx %9.0f %9.0f %5.2fx",
				o.name, sizeName(c.putSize), c.clients, o.putMiBs, meds[len(meds)-1].putMiBs, o.putMiBs/meds[len(meds)-1].putMiBs,
				o.getOps, meds[len(meds)-1].getOps, o.getOps/meds[len(meds)-1].getOps))
		}
	}
	if len(configs) > 1 {
		fmt.Printf("\n# medians: PUT MiB/s, GET objects/s\n%-14s %9s %7s %9s %9s %6s %9s %9s %6s\n",
			"node", "size", "clients", "put", "put_minio", "ratio", "get", "get_minio", "ratio")
		for _, line := range table {
			fmt.Println(line)
		}
	}
	return nil
}

// configs returns the configurations -sizes and -concurrency ask for,
// c alone if neither is set. The GET phase of a large size reads fewer
// objects, so that its seeding writes at most 256 MiB.
func (cc compareConfig) configs(c config) ([]config, error) {
	sizes := []int{c.putSize}
	if cc.sizes != "" {
		sizes = nil
		for _, f := range strings.Split(cc.sizes, ",") {
			n, err := parseSize(f)
			if err != nil {
				return nil, err
			}
			sizes = append(sizes, n)
		}
	}
	clients := []int{c.clients}
	if cc.concurrency != "" {
		clients = nil
		for _, f := range strings.Split(cc.concurrency, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || n < 1 {
				return nil, fmt.Errorf("-concurrency: bad client count %q", f)
			}
			clients = append(clients, n)
		}
	}
	var out []config
	for _, size := range sizes {
		for _, n := range clients {
			o := c
			o.clients = n
			if cc.sizes != "" {
				o.putSize, o.getSize = size, size
				o.getObjects = max(1, min(c.getObjects, (256<<20)/size))
			}
			out = append(out, o)
		}
	}
	return out, nil
}

// parseSize reads a byte count with an optional KiB, MiB or GiB suffix.
func parseSize(s string) (int, error) {
	s = strings.TrimSpace(s)
	mult := 1
	for _, u := range []struct {
		suffix string
		mult   int
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}} {
		if t, ok := strings.CutSuffix(s, u.suffix); ok {
			s, mult = t, u.mult
			break
		}
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("-sizes: bad size %q (want e.g. 4096, 4KiB, 1MiB)", s)
	}
	return n * mult, nil
}

// sizeName writes a byte count as parseSize reads it.
func sizeName(n int) string {
	switch {
	case n%(1<<20) == 0:
		return fmt.Sprintf("%dMiB", n>>20)
	case n%(1<<10) == 0:
		return fmt.Sprintf("%dKiB", n>>10)
	}
	return fmt.Sprint(n)
}

// compareOne runs the rounds of one configuration, prints every run,
// the medians and the ratios of each node binary to MinIO, and returns
// the medians (MinIO's last).
func compareOne(c config, cc compareConfig, servers []server, root string) ([]result, error) {
	fmt.Printf("# %d clients, %s per phase, PUT %d B, GET %d B (%d objects); node data_fsync=metadata_fsync=%v, MinIO fsync on (always)\n",
		c.clients, c.duration, c.putSize, c.getSize, c.getObjects, cc.fsync)
	runs := make([][]result, len(servers))
	for i := range cc.rounds {
		for j, s := range servers {
			dir := filepath.Join(root, fmt.Sprintf("%s-%d", s.name, i))
			r, err := runOne(c, cc, s, dir)
			if err != nil { // a loaded machine fails a request now and then: once more, afresh
				fmt.Printf("# round %d, %s failed, run again: %v\n", i+1, s.name, err)
				r, err = runOne(c, cc, s, dir+"-again")
			}
			if err != nil {
				return nil, fmt.Errorf("round %d, %s: %w", i+1, s.name, err)
			}
			if cc.dir == "" {
				os.RemoveAll(dir) // large sizes fill the disk otherwise
			}
			fmt.Println(r)
			runs[j] = append(runs[j], r)
		}
	}
	return printSummary(runs), nil
}

// server is one server compare measures.
type server struct {
	kind      serverKind
	bin, name string
}

// garageServers returns the node binaries of the comma-separated list.
func garageServers(list string) []server {
	var out []server
	for _, bin := range strings.Split(list, ",") {
		out = append(out, server{kind: garageKind, bin: bin, name: filepath.Base(bin)})
	}
	return out
}

// serverKind names a kind of server measured by compare.
type serverKind string

const (
	garageKind serverKind = "garage"
	minioKind  serverKind = "minio"
)

// runOne starts a fresh server s in dir, lets it settle, measures it
// and stops it.
func runOne(c config, cc compareConfig, s server, dir string) (result, error) {
	var p *proc
	var err error
	if s.kind == garageKind {
		p, err = startGarage(s.bin, cc.fsync, dir)
	} else {
		p, err = startMinio(s.bin, dir)
	}
	if err != nil {
		return result{}, err
	}
	defer p.stop()
	time.Sleep(cc.settle)
	c.endpoint, c.key, c.secret, c.region, c.pid, c.name = p.endpoint, p.key, p.secret, p.region, p.cmd.Process.Pid, s.name
	r, err := measure(c)
	if err != nil {
		err = fmt.Errorf("%w (server log: %s)", err, p.logPath)
	}
	return r, err
}

// median returns the run of median value of each figure.
func median(rs []result) result {
	pick := func(f func(result) float64) float64 {
		v := make([]float64, len(rs))
		for i, r := range rs {
			v[i] = f(r)
		}
		slices.Sort(v)
		if len(v)%2 == 1 {
			return v[len(v)/2]
		}
		return (v[len(v)/2-1] + v[len(v)/2]) / 2
	}
	return result{name: rs[0].name, putMiBs: pick(func(r result) float64 { return r.putMiBs }),
		getOps:  pick(func(r result) float64 { return r.getOps }),
		idleRSS: pick(func(r result) float64 { return r.idleRSS }), load: pick(func(r result) float64 { return r.load }),
		putCPU: pick(func(r result) float64 { return r.putCPU }), getCPU: pick(func(r result) float64 { return r.getCPU }),
		putClientCPU: pick(func(r result) float64 { return r.putClientCPU }),
		getClientCPU: pick(func(r result) float64 { return r.getClientCPU })}
}

// printSummary prints the medians of each server's runs (MinIO's last)
// and each node's ratios to MinIO, and returns the medians.
func printSummary(runs [][]result) []result {
	meds := make([]result, len(runs))
	for i, rs := range runs {
		meds[i] = median(rs)
		fmt.Printf("median %s\n", meds[i])
	}
	m := meds[len(meds)-1]
	for _, o := range meds[:len(meds)-1] {
		fmt.Printf("ratio %s/minio: put %s get %s idle_rss %s load_rss %s put_cpu %s get_cpu %s\n",
			o.name, ratio(o.putMiBs, m.putMiBs), ratio(o.getOps, m.getOps), ratio(o.idleRSS, m.idleRSS),
			ratio(o.load, m.load), ratio(o.putCPU, m.putCPU), ratio(o.getCPU, m.getCPU))
	}
	return meds
}

// ratio formats a/b, or "-" for a phase that did not run.
func ratio(a, b float64) string {
	if a == 0 || b == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2fx", a/b)
}

// proc is a server started by compare.
type proc struct {
	cmd                           *exec.Cmd
	logPath                       string
	endpoint, key, secret, region string
}

// stop interrupts the server and waits for it (killing it after 10 s).
func (p *proc) stop() {
	_ = p.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { _ = p.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = p.cmd.Process.Kill()
		<-done
	}
}

// startGarage starts `garage server --single-node` in dir with the
// default bucket "bench" and the fsync settings of cc. The first start
// writes garage.toml; when the settings differ from the generated ones
// the node is stopped, the file edited and the node started again, as a
// user would.
func startGarage(bin string, fsync bool, dir string) (*proc, error) {
	p, err := spawnGarage(bin, dir)
	if err != nil {
		return nil, err
	}
	path := filepath.Join(dir, "garage.toml")
	text, err := os.ReadFile(path)
	if err != nil {
		p.stop()
		return nil, err
	}
	want := withRegion(withFsync(string(text), fsync), minioRegion)
	if want == string(text) {
		return p, nil
	}
	p.stop()
	if err := os.WriteFile(path, []byte(want), 0o600); err != nil {
		return nil, err
	}
	return spawnGarage(bin, dir)
}

// minioRegion is MinIO's default region, which compare gives the node
// too: aws-sdk-go-v2 resolves the endpoint of a region it does not know
// (such as Garage's "garage") by compiling its partitions' regular
// expressions at every request, which cost the client a third of its CPU
// per GET of 64 KiB, on the same two cores as the servers. With one
// region the client costs the same against both.
const minioRegion = "us-east-1"

// withRegion sets s3_region in a generated garage.toml.
func withRegion(toml, region string) string {
	lines := strings.Split(toml, "\n")
	for i, line := range lines {
		if strings.HasPrefix(line, "s3_region") {
			lines[i] = fmt.Sprintf("s3_region = %q", region)
		}
	}
	return strings.Join(lines, "\n")
}

// withFsync sets metadata_fsync and data_fsync in a generated
// garage.toml.
func withFsync(toml string, on bool) string {
	var out []string
	for _, line := range strings.Split(toml, "\n") {
		if strings.HasPrefix(line, "metadata_fsync") || strings.HasPrefix(line, "data_fsync") {
			continue
		}
		if strings.HasPrefix(line, "replication_factor") {
			out = append(out, line, fmt.Sprintf("metadata_fsync = %v", on), fmt.Sprintf("data_fsync = %v", on))
			continue
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

// spawnGarage starts the node and reads its credentials from the export
// lines it prints once it serves.
func spawnGarage(bin, dir string) (*proc, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	p := &proc{logPath: filepath.Join(dir, "server.log")}
	p.cmd = exec.Command(bin, "server", "--single-node", "--state-dir", dir, "--default-bucket", "bench")
	out, err := startLogged(p, p.cmd)
	if err != nil {
		return nil, err
	}
	vars, err := readExports(out)
	if err != nil {
		p.stop()
		return nil, fmt.Errorf("garage in %s: %w (log: %s)", dir, err, p.logPath)
	}
	p.endpoint, p.key, p.secret, p.region = vars["AWS_ENDPOINT_URL"], vars["AWS_ACCESS_KEY_ID"],
		vars["AWS_SECRET_ACCESS_KEY"], vars["AWS_DEFAULT_REGION"]
	return p, nil
}

// startLogged starts cmd with its stderr in p's log file and returns its
// stdout.
func startLogged(p *proc, cmd *exec.Cmd) (io.Reader, error) {
	log, err := os.Create(p.logPath)
	if err != nil {
		return nil, err
	}
	cmd.Stderr = log
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", cmd.Path, err)
	}
	return out, nil
}

// readExports reads "export NAME=value" lines until the endpoint's, then
// drains the rest of the output in the background.
func readExports(out io.Reader) (map[string]string, error) {
	vars := map[string]string{}
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		name, value, ok := strings.Cut(strings.TrimPrefix(sc.Text(), "export "), "=")
		if ok && strings.HasPrefix(sc.Text(), "export ") {
			vars[name] = value
		}
		if name == "AWS_ENDPOINT_URL" {
			go func() { _, _ = io.Copy(io.Discard, out) }()
			return vars, nil
		}
	}
	return nil, errors.New("exited before printing its S3 endpoint")
}

// startMinio starts a MinIO server on a single drive in dir, on free
// loopback ports, without its update check, and waits until it is live.
func startMinio(bin, dir string) (*proc, error) {
	if err := os.MkdirAll(filepath.Join(dir, "data"), 0o700); err != nil {
		return nil, err
	}
	api, console := freePort(), freePort()
	p := &proc{logPath: filepath.Join(dir, "server.log"), endpoint: "http://" + api,
		key: "s3bench-admin", secret: "s3bench-secret-key", region: minioRegion}
	p.cmd = exec.Command(bin, "server", filepath.Join(dir, "data"), "--address", api, "--console-address", console, "--quiet")
	p.cmd.Env = append(os.Environ(), "MINIO_ROOT_USER="+p.key, "MINIO_ROOT_PASSWORD="+p.secret, "MINIO_UPDATE=off")
	out, err := startLogged(p, p.cmd)
	if err != nil {
		return nil, err
	}
	go func() { _, _ = io.Copy(io.Discard, out) }()
	if err := waitLive(p.endpoint+"/minio/health/live", 60*time.Second); err != nil {
		p.stop()
		return nil, fmt.Errorf("minio in %s: %w (log: %s)", dir, err, p.logPath)
	}
	return p, nil
}

// freePort returns a loopback address whose port was free just now.
func freePort() string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "127.0.0.1:9000"
	}
	defer l.Close()
	return l.Addr().String()
}

// waitLive polls url until it answers 200.
func waitLive(url string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	return fmt.Errorf("not live after %s", limit)
}
