package netem

import (
	"fmt"
	"hash/fnv"
	"slices"
	"testing"
	"time"
)

// script drives a model with a random mix of configuration changes,
// partitions, heals and sends, all chosen by gen, and hashes every fate
// drawn with net. It returns the hash and the number of sends.
func script(m *Model, gen, net Rand, steps int) (uint64, int) {
	return scriptCheck(m, gen, net, steps, nil)
}

// scriptCheck is script calling check, if not nil, after every send.
func scriptCheck(m *Model, gen, net Rand, steps int, check func(now time.Duration, from, to string, f Fate)) (uint64, int) {
	nodes := m.Nodes()
	zones := m.Zones()
	pick := func(s []string) string { return s[gen.Uint64()%uint64(len(s))] }
	scope := func() Scope {
		switch gen.Uint64() % 5 {
		case 0:
			return AllLinks()
		case 1:
			return ZonePair(pick(zones), pick(zones))
		case 2:
			return ZoneLink(pick(zones), pick(zones))
		case 3:
			return NodePair(pick(nodes), pick(nodes))
		}
		return NodeLink(pick(nodes), pick(nodes))
	}
	jitters := []Jitter{NoJitter{}, Uniform{Width: 5 * ms}, Normal{Sigma: 3 * ms},
		Pareto{Scale: ms, Shape: 1.5}, LogNormal{Median: ms, Sigma: 1}}
	h := fnv.New64a()
	now, sends := time.Duration(0), 0
	for range steps {
		switch op := gen.Uint64() % 20; op {
		case 0:
			m.SetLatency(scope(), time.Duration(gen.Uint64()%100)*ms)
		case 1:
			m.SetJitter(scope(), jitters[gen.Uint64()%uint64(len(jitters))])
		case 2:
			m.SetLoss(scope(), gen.Float64()/4)
		case 3:
			m.SetDup(scope(), gen.Float64()/4)
		case 4:
			m.SetBandwidth(scope(), float64(gen.Uint64()%1e6))
		case 5:
			m.SetFIFO(scope(), gen.Uint64()%2 == 0)
		case 6:
			maj, mnr := SplitMajority(nodes, gen)
			m.Partition(maj, mnr)
		case 7:
			m.IsolateZone(pick(zones))
		case 8:
			m.CutOneWay([]string{pick(nodes)}, []string{pick(nodes)})
		case 9:
			m.Heal(CutID(gen.Uint64() % 10))
		case 10:
			m.HealAll()
		case 11:
			m.SetUplink(float64(gen.Uint64()%1e6), pick(nodes))
		case 12:
			m.SetBurst(scope(), Burst{Enter: gen.Float64() / 10, Leave: 0.5, Loss: gen.Float64()})
		default:
			now += time.Duration(gen.Uint64() % uint64(10*ms))
			from, to := pick(nodes), pick(nodes)
			f := m.Send(now, from, to, int(gen.Uint64()%5000), net)
			fmt.Fprintf(h, "%v/", f)
			if check != nil {
				check(now, from, to, f)
			}
			sends++
		}
	}
	fmt.Fprintf(h, "%+v", m.Stats())
	return h.Sum64(), sends
}

// threeDCsShuffled is ThreeDCs(n) with its nodes registered in an order
// chosen by r: the fates must not depend on registration order.
func threeDCsShuffled(n int, r Rand) *Model {
	ref := ThreeDCs(n)
	names := ref.Nodes()
	for i := len(names) - 1; i > 0; i-- {
		j := int(r.Uint64() % uint64(i+1))
		names[i], names[j] = names[j], names[i]
	}
	m := New()
	for _, name := range names {
		m.AddNode(name, ref.Zone(name))
	}
	copyConfig(m, ref)
	return m
}

// copyConfig gives m the settings of ref, sharing them: ref must not be
// used afterwards.
func copyConfig(m, ref *Model) {
	m.cfg = ref.cfg
	m.gen++
}

func TestSameCallsSameFates(t *testing.T) {
	var hashes []uint64
	for seed := range uint64(30) {
		build := []func() *Model{
			func() *Model { return ThreeDCs(7) },
			func() *Model { return ThreeDCs(7) },
			func() *Model { return threeDCsShuffled(7, NewRand(seed+100)) },
		}
		var got []uint64
		for _, b := range build {
			h, sends := script(b(), NewRand(seed), NewRand(seed+1), 3000)
			if sends < 800 {
				t.Fatalf("seed %d: only %d sends", seed, sends)
			}
			got = append(got, h)
		}
		if got[0] != got[1] || got[0] != got[2] {
			t.Fatalf("seed %d: same script, hashes %x", seed, got)
		}
		hashes = append(hashes, got[0])
	}
	slices.Sort(hashes)
	if n := len(slices.Compact(hashes)); n != 30 {
		t.Errorf("30 seeds gave %d distinct hashes", n)
	}
}

// TestFateInvariants checks, over random scripts, what every fate must
// satisfy whatever the configuration: nothing arrives before it is sent,
// a duplicate never precedes its original, a FIFO link never reorders, a
// message to self is immediate, and only reachable links deliver.
func TestFateInvariants(t *testing.T) {
	for seed := range uint64(20) {
		m := ThreeDCs(5)
		last := map[edge]time.Duration{}
		check := func(now time.Duration, from, to string, f Fate) {
			l := m.Link(from, to)
			switch {
			case f.Drop && (f.Dup || f.Deliver != now):
				t.Fatalf("seed %d: dropped fate %+v at %v", seed, f, now)
			case f.Drop:
				return
			case f.Deliver < now || (f.Dup && f.DupAt < f.Deliver):
				t.Fatalf("seed %d: fate %+v sent at %v", seed, f, now)
			case from == to && f != (Fate{Deliver: now}):
				t.Fatalf("seed %d: self send %+v at %v", seed, f, now)
			case !m.Reachable(from, to):
				t.Fatalf("seed %d: delivered across a cut %s->%s", seed, from, to)
			case l.FIFO && f.Deliver < last[edge{from, to}]:
				t.Fatalf("seed %d: FIFO %s->%s reordered: %v after %v", seed, from, to, f.Deliver, last[edge{from, to}])
			}
			last[edge{from, to}] = max(last[edge{from, to}], f.Deliver, f.DupAt)
		}
		scriptCheck(m, NewRand(seed), NewRand(seed+7), 3000, check)
	}
}
