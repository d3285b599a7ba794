package layout

import (
	"math/rand/v2"
	"testing"
)

// negativeCycle reports whether the residual graph of g has a negative
// cost cycle (Bellman-Ford from a virtual source), which would mean the
// flow is not of minimum cost.
func negativeCycle(g *graph) bool {
	d := make([]int64, g.n)
	for range g.n {
		changed := false
		for u := int32(0); u < g.n; u++ {
			for _, e := range g.adj[g.start[u]:g.start[u+1]] {
				if g.res[e] > 0 && d[u]+int64(g.cost[e]) < d[g.to[e]] {
					d[g.to[e]] = d[u] + int64(g.cost[e])
					changed = true
				}
			}
		}
		if !changed {
			return false
		}
	}
	return true
}

// TestMinCostFlowOptimal checks on random graphs that the min-cost flow is
// maximum (equal to Dinic's) and leaves no negative cycle.
func TestMinCostFlowOptimal(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for it := range 300 {
		n := int32(2 + r.IntN(12))
		g := newGraph(n, 0, n-1, 0)
		for range r.IntN(40) {
			u, v := r.Int32N(n), r.Int32N(n)
			if u != v {
				g.addEdge(u, v, 1+r.Int32N(5), r.Int32N(10))
			}
		}
		g.freeze()
		g.reset()
		want := g.maxFlow()
		got, _ := g.minCostFlow()
		if got != want {
			t.Fatalf("graph %d: min-cost flow value %d, max flow %d", it, got, want)
		}
		if negativeCycle(g) {
			t.Fatalf("graph %d: residual graph has a negative cycle", it)
		}
	}
}
