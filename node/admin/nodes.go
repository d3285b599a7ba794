package admin

import (
	"context"
	"net/http"

	"github.com/gogarage/garage/node/garage"
)

// MultiResp is the reply of an operation on the nodes ?node= selects
// ("self" by default, "*" for every node, or a node id or prefix), as in
// Garage v2: each node's result under its id, or its error.
type MultiResp[T any] struct {
	Success map[string]T      `json:"success"`
	Error   map[string]string `json:"error"`
}

// perNode runs fn with a client of each node ?node= selects (through
// this node's RPC, itself included) and gathers the answers.
func perNode[T any](s *Server, r *http.Request, fn func(ctx context.Context, a *garage.Admin) (T, error)) (any, error) {
	ids, err := s.cfg.Node.Targets(r.URL.Query().Get("node"))
	if err != nil {
		return nil, err
	}
	out := MultiResp[T]{Success: map[string]T{}, Error: map[string]string{}}
	for _, res := range garage.FanOut(r.Context(), s.cfg.Node, ids, fn) {
		if res.Err != nil {
			out.Error[string(res.Node)] = res.Err.Error()
			continue
		}
		out.Success[string(res.Node)] = res.Value
	}
	return out, nil
}
