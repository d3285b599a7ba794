package layout

import "math"

// minCostFlow computes, from an empty flow, a maximum flow of minimum cost
// (all edge costs must be non-negative) and returns its value and cost.
//
// It is the primal-dual method: Dijkstra on reduced costs updates the vertex
// potentials, then Dinic saturates the admissible graph (residual edges of
// zero reduced cost). Every phase raises the source-sink distance, so with
// the small integer costs used here there are only a handful of phases.
func (g *graph) minCostFlow() (flow, cost int64) {
	g.reset()
	defer func() { g.useCost = false }()
	for g.dijkstra() {
		g.useCost = true
		flow += g.maxFlow()
		g.useCost = false
	}
	for e := int32(0); e < int32(len(g.to)); e += 2 {
		cost += int64(g.flowOn(e)) * int64(g.cost[e])
	}
	return flow, cost
}

// dijkstra computes distances from the source on reduced costs, raises the
// potentials by them (capped at the sink's distance, which keeps every
// residual reduced cost non-negative) and reports whether the sink is
// reachable.
func (g *graph) dijkstra() bool {
	const inf = math.MaxInt64
	for i := range g.dist {
		g.dist[i] = inf
	}
	g.dist[g.s] = 0
	h := append(g.heap[:0], distItem{0, g.s})
	defer func() { g.heap = h[:0] }()
	for len(h) > 0 {
		it := h.pop()
		u := it.v
		if it.d != g.dist[u] {
			continue
		}
		for _, e := range g.adj[g.start[u]:g.start[u+1]] {
			if g.res[e] <= 0 {
				continue
			}
			v := g.to[e]
			nd := it.d + int64(g.cost[e]) + g.pot[u] - g.pot[v]
			if nd < g.dist[v] {
				g.dist[v] = nd
				h.push(distItem{nd, v})
			}
		}
	}
	dt := g.dist[g.t]
	if dt == inf {
		return false
	}
	for v := range g.pot {
		g.pot[v] += min(g.dist[v], dt)
	}
	return true
}

type distItem struct {
	d int64
	v int32
}

// distHeap is a binary min-heap on (d, v); v breaks ties so the order of
// pops is fully determined.
type distHeap []distItem

func (h distItem) less(o distItem) bool { return h.d < o.d || (h.d == o.d && h.v < o.v) }

func (h *distHeap) push(it distItem) {
	*h = append(*h, it)
	a := *h
	for i := len(a) - 1; i > 0; {
		p := (i - 1) / 2
		if !a[i].less(a[p]) {
			break
		}
		a[i], a[p] = a[p], a[i]
		i = p
	}
}

func (h *distHeap) pop() distItem {
	a := *h
	top := a[0]
	n := len(a) - 1
	a[0] = a[n]
	a = a[:n]
	for i := 0; ; {
		l, r, m := 2*i+1, 2*i+2, i
		if l < n && a[l].less(a[m]) {
			m = l
		}
		if r < n && a[r].less(a[m]) {
			m = r
		}
		if m == i {
			break
		}
		a[i], a[m] = a[m], a[i]
		i = m
	}
	*h = a
	return top
}
