package netem

import (
	"maps"
	"math"
	"slices"
	"testing"
	"time"
)

const ms = time.Millisecond

// pair returns a two-node model a (zone za) and b (zone zb).
func pair(za, zb string) *Model {
	m := New()
	m.AddNode("a", za)
	m.AddNode("b", zb)
	return m
}

func TestSelfDeliveryIsImmediate(t *testing.T) {
	m := pair("z", "z")
	m.SetLatency(AllLinks(), 50*ms)
	m.SetLoss(AllLinks(), 1)
	m.IsolateNode("a")
	got := m.Send(7*ms, "a", "a", 100, NewRand(1))
	want := Fate{Deliver: 7 * ms}
	if got != want {
		t.Errorf("self send: got %+v, want %+v", got, want)
	}
	if !m.Reachable("a", "a") {
		t.Error("a cannot reach itself")
	}
}

func TestLatencyAndJitterBounds(t *testing.T) {
	const n = 20000
	tests := []struct {
		name           string
		jitter         Jitter
		min, max, mean time.Duration
		meanTol        time.Duration
	}{
		{"none", NoJitter{}, 50 * ms, 50 * ms, 50 * ms, 0},
		{"uniform", Uniform{Width: 10 * ms}, 40 * ms, 60 * ms, 50 * ms, ms / 2},
		{"normal", Normal{Sigma: 10 * ms}, 0, 200 * ms, 50 * ms, ms / 2},
		{"normal clamped", Normal{Sigma: 100 * ms}, 0, time.Second, 50*ms + 19780*time.Microsecond, 3 * ms},
		{"pareto", Pareto{Scale: 10 * ms, Shape: 3}, 50 * ms, time.Hour, 55 * ms, ms},
		{"pareto capped", Pareto{Scale: 10 * ms, Shape: 1, Max: 30 * ms}, 50 * ms, 80 * ms, 0, -1},
		{"lognormal", LogNormal{Median: 5 * ms, Sigma: 0.5}, 50 * ms, time.Hour, 50*ms + 5666*time.Microsecond, ms / 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := pair("x", "y")
			m.SetLatency(AllLinks(), 50*ms)
			m.SetJitter(AllLinks(), tt.jitter)
			r := NewRand(42)
			var sum time.Duration
			for i := range n {
				now := time.Duration(i) * time.Second
				d := m.Send(now, "a", "b", 10, r).Deliver - now
				if d < tt.min || d > tt.max {
					t.Fatalf("delay %v outside [%v, %v]", d, tt.min, tt.max)
				}
				sum += d
			}
			mean := sum / n
			t.Logf("%v: mean one-way delay %v", tt.jitter, mean)
			if tt.meanTol >= 0 && (mean < tt.mean-tt.meanTol || mean > tt.mean+tt.meanTol) {
				t.Errorf("mean delay: got %v, want %v ± %v", mean, tt.mean, tt.meanTol)
			}
		})
	}
}

func TestLossAndDupRates(t *testing.T) {
	const n = 40000
	tests := []struct{ loss, dup float64 }{
		{0, 0}, {0.01, 0}, {0.1, 0.05}, {0.5, 0.5}, {1, 0}, {0, 1},
	}
	for _, tt := range tests {
		m := pair("x", "y")
		m.SetLatency(AllLinks(), 10*ms)
		m.SetLoss(NodeLink("a", "b"), tt.loss)
		m.SetDup(NodeLink("a", "b"), tt.dup)
		r := NewRand(7)
		var lost, dup int
		for i := range n {
			f := m.Send(time.Duration(i)*ms, "a", "b", 1, r)
			if f.Drop {
				lost++
			}
			if f.Dup {
				dup++
				if f.DupAt < f.Deliver {
					t.Fatalf("duplicate at %v before original at %v", f.DupAt, f.Deliver)
				}
			}
		}
		checkRate(t, "loss", lost, n, tt.loss)
		checkRate(t, "dup", dup, n-lost, tt.dup)
		if got := m.Stats(); got.Lost != int64(lost) || got.Duplicated != int64(dup) {
			t.Errorf("stats %+v disagree with lost=%d dup=%d", got, lost, dup)
		}
	}
}

// checkRate asserts k successes out of n are within 5 standard deviations
// (plus one) of probability p.
func checkRate(t *testing.T, what string, k, n int, p float64) {
	t.Helper()
	if n == 0 {
		return
	}
	sd := math.Sqrt(float64(n) * p * (1 - p))
	if got, want := float64(k), float64(n)*p; math.Abs(got-want) > 5*sd+1 {
		t.Errorf("%s: got %d of %d, want %.0f ± %.0f", what, k, n, want, 5*sd+1)
	}
}

func TestFIFO(t *testing.T) {
	for _, fifo := range []bool{false, true} {
		m := pair("x", "y")
		m.SetLatency(AllLinks(), 50*ms)
		m.SetJitter(AllLinks(), Uniform{Width: 40 * ms})
		m.SetDup(AllLinks(), 0.2)
		m.SetFIFO(NodePair("a", "b"), fifo)
		r := NewRand(3)
		reordered := 0
		var last time.Duration
		for i := range 1000 {
			f := m.Send(time.Duration(i)*ms, "a", "b", 1, r)
			if f.Deliver < last {
				reordered++
			}
			last = max(last, f.Deliver, f.DupAt)
		}
		if got, want := reordered > 0, !fifo; got != want {
			t.Errorf("fifo=%t: reordered %d messages", fifo, reordered)
		}
	}
}

func TestBandwidthQueue(t *testing.T) {
	m := New()
	for _, n := range []string{"a", "b", "c"} {
		m.AddNode(n, "z")
	}
	m.SetLatency(AllLinks(), 10*ms)
	m.SetBandwidth(AllLinks(), 1000) // 1 kB/s: 500 bytes take 500 ms
	r := NewRand(1)
	tests := []struct {
		now      time.Duration
		from, to string
		size     int
		want     time.Duration
	}{
		{0, "a", "b", 500, 510 * ms},
		{0, "a", "b", 500, 1010 * ms},                     // waits behind the first
		{100 * ms, "a", "c", 500, 610 * ms},               // another link, its own queue
		{100 * ms, "b", "a", 1000, 1110 * ms},             // the reverse direction too
		{1200 * ms, "a", "b", 0, 1210 * ms},               // queue drained
		{1200 * ms, "a", "b", 100, 1310 * ms},             // empty messages take no time
		{1250 * ms, "a", "b", 100, 1410 * ms},             // behind the previous 100 bytes
		{5 * time.Second, "a", "a", 1e6, 5 * time.Second}, // self: immediate
	}
	for i, tt := range tests {
		if got := m.Send(tt.now, tt.from, tt.to, tt.size, r).Deliver; got != tt.want {
			t.Errorf("%d: %s->%s %dB at %v: got %v, want %v", i, tt.from, tt.to, tt.size, tt.now, got, tt.want)
		}
	}
}

func TestLostMessagesOccupyTheQueue(t *testing.T) {
	m := pair("x", "y")
	m.SetBandwidth(AllLinks(), 1000)
	m.SetLoss(AllLinks(), 1)
	r := NewRand(1)
	m.Send(0, "a", "b", 1000, r)
	m.SetLoss(AllLinks(), 0)
	if got, want := m.Send(0, "a", "b", 1000, r).Deliver, 2*time.Second; got != want {
		t.Errorf("after a lost 1 s message: got %v, want %v", got, want)
	}
}

func TestScopePrecedence(t *testing.T) {
	type set struct {
		s Scope
		d time.Duration
	}
	sets := []set{
		{AllLinks(), 1 * ms},
		{ZonePair("x", "y"), 2 * ms},
		{NodeLink("b", "a"), 3 * ms},
		{NodeLink("c", "a"), 4 * ms},
		{ZonePair("x", "x"), 5 * ms},
	}
	want := map[[2]string]time.Duration{
		{"a", "b"}: 2 * ms, {"b", "a"}: 3 * ms, {"a", "c"}: 5 * ms,
		{"c", "a"}: 4 * ms, {"b", "c"}: 2 * ms, {"c", "b"}: 2 * ms,
		{"a", "a"}: 0,
	}
	// Every order of calls at distinct levels gives the same configuration.
	for _, order := range [][]int{{0, 1, 2, 3, 4}, {4, 3, 2, 1, 0}, {2, 0, 4, 1, 3}} {
		m := New()
		m.AddNode("a", "x")
		m.AddNode("b", "y")
		m.AddNode("c", "x")
		for _, i := range order {
			m.SetLatency(sets[i].s, sets[i].d)
		}
		for k, w := range want {
			if got := m.Latency(k[0], k[1]); got != w {
				t.Errorf("order %v: latency %s->%s: got %v, want %v", order, k[0], k[1], got, w)
			}
		}
	}
}

func TestLaterSettingWinsWithinALevel(t *testing.T) {
	m := pair("x", "y")
	m.SetLatency(ZonePair("x", "y"), 2*ms)
	m.SetLatency(ZoneLink("y", "x"), 3*ms)
	m.SetLatency(ZonePair("y", "x"), 4*ms)
	if got, want := m.RTT("a", "b"), 8*ms; got != want {
		t.Errorf("RTT: got %v, want %v", got, want)
	}
}

func TestZoneMatrix(t *testing.T) {
	m := ThreeDCs(3)
	zones := []string{"dc1", "dc2", "dc3"}
	mat := [][]time.Duration{{1 * ms, 10 * ms, 20 * ms}, {11 * ms, 2 * ms, 30 * ms}, {21 * ms, 31 * ms, 3 * ms}}
	if err := m.SetZoneMatrix(zones, mat); err != nil {
		t.Fatal(err)
	}
	if got, want := m.Latency("n2", "n3"), 30*ms; got != want {
		t.Errorf("n2->n3: got %v, want %v", got, want)
	}
	if got, want := m.RTT("n1", "n3"), 41*ms; got != want {
		t.Errorf("RTT n1<->n3: got %v, want %v", got, want)
	}
	bad := [][][]time.Duration{mat[:2], {mat[0], mat[1][:2], mat[2]}, {{-1, 0, 0}, mat[1], mat[2]}}
	for i, b := range bad {
		if err := m.SetZoneMatrix(zones, b); err == nil {
			t.Errorf("bad matrix %d accepted", i)
		}
	}
}

func TestInvalidSettingsPanic(t *testing.T) {
	tests := map[string]func(m *Model){
		"negative latency": func(m *Model) { m.SetLatency(AllLinks(), -1) },
		"loss above 1":     func(m *Model) { m.SetLoss(AllLinks(), 1.5) },
		"NaN dup":          func(m *Model) { m.SetDup(AllLinks(), math.NaN()) },
		"negative bw":      func(m *Model) { m.SetBandwidth(AllLinks(), -1) },
		"pareto shape 0":   func(m *Model) { m.SetJitter(AllLinks(), Pareto{Scale: ms}) },
		"duplicate node":   func(m *Model) { m.AddNode("a", "q") },
		"unknown node":     func(m *Model) { m.Send(0, "a", "nope", 1, NewRand(1)) },
	}
	for _, name := range slices.Sorted(maps.Keys(tests)) {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("did not panic")
				}
			}()
			tests[name](pair("x", "y"))
		})
	}
}

func TestDescribe(t *testing.T) {
	m := ThreeDCs(4)
	m.SetLoss(NodeLink("n4", "n2"), 0.5)
	m.SetFIFO(NodePair("n1", "n1"), true) // self links are not described
	m.IsolateZone("dc3")
	m.SetUplink(1e6, "n3", "ghost")
	want := `zone dc1: n1 n4
zone dc2: n2
zone dc3: n3
link dc1->dc1: latency=250µs jitter=none loss=0 dup=0 bandwidth=0 fifo=false
link dc1->dc2: latency=50ms jitter=uniform±10ms loss=0 dup=0 bandwidth=0 fifo=false
link dc1->dc3: latency=50ms jitter=uniform±10ms loss=0 dup=0 bandwidth=0 fifo=false
link dc2->dc1: latency=50ms jitter=uniform±10ms loss=0 dup=0 bandwidth=0 fifo=false
link dc2->dc2: latency=250µs jitter=none loss=0 dup=0 bandwidth=0 fifo=false
link dc2->dc3: latency=50ms jitter=uniform±10ms loss=0 dup=0 bandwidth=0 fifo=false
link dc3->dc1: latency=50ms jitter=uniform±10ms loss=0 dup=0 bandwidth=0 fifo=false
link dc3->dc2: latency=50ms jitter=uniform±10ms loss=0 dup=0 bandwidth=0 fifo=false
link dc3->dc3: latency=250µs jitter=none loss=0 dup=0 bandwidth=0 fifo=false
link n4->n2: latency=50ms jitter=uniform±10ms loss=0.5 dup=0 bandwidth=0 fifo=false
uplink n3: 1e+06
cut#1: isolate zone dc3
`
	if got := m.Describe(); got != want {
		t.Errorf("Describe:\n got:\n%s\nwant:\n%s", got, want)
	}
}

func TestUplinkIsSharedByLinks(t *testing.T) {
	m := New()
	for _, n := range []string{"a", "b", "c"} {
		m.AddNode(n, "z")
	}
	m.SetLatency(AllLinks(), 10*ms)
	m.SetUplink(1000)      // every node: 1 kB/s out
	m.SetUplink(2000, "c") // c: 2 kB/s out
	m.SetBandwidth(NodeLink("a", "c"), 500)
	r := NewRand(1)
	tests := []struct {
		now      time.Duration
		from, to string
		size     int
		want     time.Duration
	}{
		{0, "a", "b", 500, 510 * ms},
		{0, "a", "c", 500, 1510 * ms}, // uplink from 0.5 s, 1 s on the slower link
		{0, "b", "a", 500, 510 * ms},  // b's own uplink
		{0, "c", "a", 500, 260 * ms},  // c's faster uplink
		{0, "c", "b", 500, 510 * ms},  // behind c's first message
		{3 * time.Second, "a", "b", 0, 3010 * ms},
	}
	for i, tt := range tests {
		if got := m.Send(tt.now, tt.from, tt.to, tt.size, r).Deliver; got != tt.want {
			t.Errorf("%d: %s->%s %dB at %v: got %v, want %v", i, tt.from, tt.to, tt.size, tt.now, got, tt.want)
		}
	}
}

func TestCloneIsIndependent(t *testing.T) {
	m := ThreeDCs(5)
	m.SetBandwidth(AllLinks(), 1e4)
	m.SetUplink(5e3, "n1")
	m.IsolateNode("n5")
	m.Send(0, "n1", "n2", 1000, NewRand(1)) // state the clone must not inherit
	c := m.Clone()
	if got, want := c.Describe(), m.Describe(); got != want {
		t.Fatalf("clone describes as\n%s\nwant\n%s", got, want)
	}
	if got := c.Stats(); got != (Stats{}) {
		t.Errorf("clone stats: got %+v, want zero", got)
	}
	fresh := ThreeDCs(5)
	fresh.SetBandwidth(AllLinks(), 1e4)
	fresh.SetUplink(5e3, "n1")
	fresh.IsolateNode("n5")
	h1, _ := script(c, NewRand(3), NewRand(4), 2000)
	h2, _ := script(fresh, NewRand(3), NewRand(4), 2000)
	if h1 != h2 {
		t.Error("clone and a freshly built twin give different fates")
	}
	if got := m.Describe(); got == c.Describe() {
		t.Error("changing the clone changed the original")
	}
}
