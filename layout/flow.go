package layout

// graph is a flow network in compressed adjacency form. Edge 2k is the k-th
// edge added and 2k+1 its reverse; the adjacency of each vertex lists its
// edges in the order they were added, which fixes every tie-break.
type graph struct {
	n, s, t int32
	to      []int32
	cap0    []int32 // capacity (0 on reverse edges)
	res     []int32 // residual capacity
	cost    []int32 // cost per unit (negated on reverse edges)
	from    []int32 // tail of each edge, while building
	start   []int32 // adjacency of u is adj[start[u]:start[u+1]]
	adj     []int32

	// scratch
	level, iter, queue []int32
	pot, dist          []int64
	heap               distHeap // dijkstra's, kept between phases
	useCost            bool     // restrict to zero reduced cost edges
}

func newGraph(n, s, t int32, edgeHint int) *graph {
	return &graph{
		n: n, s: s, t: t,
		to:   make([]int32, 0, 2*edgeHint),
		cap0: make([]int32, 0, 2*edgeHint),
		cost: make([]int32, 0, 2*edgeHint),
		from: make([]int32, 0, 2*edgeHint),
	}
}

// addEdge adds u->v and returns its index.
func (g *graph) addEdge(u, v, c, cost int32) int32 {
	e := int32(len(g.to))
	g.to = append(g.to, v, u)
	g.from = append(g.from, u, v)
	g.cap0 = append(g.cap0, c, 0)
	g.cost = append(g.cost, cost, -cost)
	return e
}

// freeze builds the adjacency and the scratch arrays; no edge may be added
// afterwards.
func (g *graph) freeze() {
	g.start = make([]int32, g.n+1)
	for _, u := range g.from {
		g.start[u+1]++
	}
	for u := int32(0); u < g.n; u++ {
		g.start[u+1] += g.start[u]
	}
	g.adj = make([]int32, len(g.from))
	fill := append([]int32(nil), g.start[:g.n]...)
	for e, u := range g.from {
		g.adj[fill[u]] = int32(e)
		fill[u]++
	}
	g.from = nil
	g.res = make([]int32, len(g.to))
	g.level = make([]int32, g.n)
	g.iter = make([]int32, g.n)
	g.queue = make([]int32, 0, g.n)
	g.pot = make([]int64, g.n)
	g.dist = make([]int64, g.n)
}

// reset empties the flow.
func (g *graph) reset() {
	copy(g.res, g.cap0)
	clear(g.pot)
}

// flowOn returns the flow on forward edge e.
func (g *graph) flowOn(e int32) int32 { return g.cap0[e] - g.res[e] }

// usable reports whether the residual edge e from u may carry flow now.
func (g *graph) usable(u, e int32) bool {
	if g.res[e] <= 0 {
		return false
	}
	return !g.useCost || int64(g.cost[e])+g.pot[u]-g.pot[g.to[e]] == 0
}

// maxFlow augments the current flow to a maximum one (Dinic) and returns
// the amount added.
func (g *graph) maxFlow() int64 {
	var total int64
	for g.bfs() {
		copy(g.iter, g.start[:g.n])
		for {
			f := g.dfs(g.s, 1<<30)
			if f == 0 {
				break
			}
			total += int64(f)
		}
	}
	return total
}

// bfs computes levels from the source over usable edges and reports
// whether the sink is reachable.
func (g *graph) bfs() bool {
	for i := range g.level {
		g.level[i] = -1
	}
	g.level[g.s] = 0
	q := append(g.queue[:0], g.s)
	for h := 0; h < len(q); h++ {
		u := q[h]
		for _, e := range g.adj[g.start[u]:g.start[u+1]] {
			v := g.to[e]
			if g.level[v] < 0 && g.usable(u, e) {
				g.level[v] = g.level[u] + 1
				q = append(q, v)
			}
		}
	}
	g.queue = q
	return g.level[g.t] >= 0
}

// dfs pushes one augmenting path of at most f units along the level graph.
func (g *graph) dfs(u, f int32) int32 {
	if u == g.t {
		return f
	}
	for ; g.iter[u] < g.start[u+1]; g.iter[u]++ {
		e := g.adj[g.iter[u]]
		v := g.to[e]
		if g.level[v] != g.level[u]+1 || !g.usable(u, e) {
			continue
		}
		if d := g.dfs(v, min(f, g.res[e])); d > 0 {
			g.res[e] -= d
			g.res[e^1] += d
			return d
		}
	}
	return 0
}
