package admin

import (
	"context"
	"net/http"
	"strings"

	"github.com/gogarage/garage/node/garage"
)

// workerOps registers the worker operations of Garage v2's admin API.
func (s *Server) workerOps(ops map[string]op) {
	ops["ListWorkers"] = op{http.MethodPost, s.listWorkers}
	ops["GetWorkerInfo"] = op{http.MethodPost, s.workerInfo}
	ops["GetWorkerVariable"] = op{http.MethodPost, s.workerVariable}
	ops["SetWorkerVariable"] = op{http.MethodPost, s.setWorkerVariable}
}

// Worker is one background worker of a node.
type Worker struct {
	ID                int      `json:"id"`
	Name              string   `json:"name"`
	State             string   `json:"state"` // busy, idle, paused or done
	Errors            uint64   `json:"errors"`
	ConsecutiveErrors uint64   `json:"consecutiveErrors"`
	LastError         *string  `json:"lastError"`
	Tranquility       *int     `json:"tranquility"`
	Done              uint64   `json:"done"`
	QueueLength       *int     `json:"queueLength"`
	Freeform          []string `json:"freeform"`
}

func workerOf(w garage.WorkerInfo) Worker {
	out := Worker{ID: w.ID, Name: w.Name, State: strings.ToLower(w.State), Errors: w.Errors,
		ConsecutiveErrors: w.Consecutive, Tranquility: w.Tranquility, Done: w.Done, QueueLength: w.Queue,
		Freeform: nonNil(w.Info)}
	if w.LastError != "" {
		out.LastError = &w.LastError
	}
	return out
}

// ListWorkersReq is ListWorkers' request.
type ListWorkersReq struct {
	BusyOnly  bool `json:"busyOnly"`
	ErrorOnly bool `json:"errorOnly"`
}

func (s *Server) listWorkers(r *http.Request) (any, error) {
	var req ListWorkersReq
	if err := decodeOptionalBody(r, &req); err != nil {
		return nil, err
	}
	return perNode(s, r, func(ctx context.Context, a *garage.Admin) ([]Worker, error) {
		ws, err := a.WorkerList(ctx, garage.WorkerListRequest{Busy: req.BusyOnly, Errors: req.ErrorOnly})
		out := []Worker{}
		for _, w := range ws {
			out = append(out, workerOf(w))
		}
		return out, err
	})
}

// WorkerInfoReq is GetWorkerInfo's request.
type WorkerInfoReq struct {
	ID int `json:"id"`
}

func (s *Server) workerInfo(r *http.Request) (any, error) {
	var req WorkerInfoReq
	if err := decodeBody(r, &req); err != nil {
		return nil, err
	}
	return perNode(s, r, func(ctx context.Context, a *garage.Admin) (Worker, error) {
		ws, err := a.WorkerList(ctx, garage.WorkerListRequest{})
		if err != nil {
			return Worker{}, err
		}
		for _, w := range ws {
			if w.ID == req.ID {
				return workerOf(w), nil
			}
		}
		return Worker{}, &Error{Status: http.StatusNotFound, Code: "NoSuchWorker", Msg: "no worker with this id"}
	})
}

// WorkerVariableReq is GetWorkerVariable's request (no variable: all).
type WorkerVariableReq struct {
	Variable string `json:"variable"`
}

func (s *Server) workerVariable(r *http.Request) (any, error) {
	var req WorkerVariableReq
	if err := decodeOptionalBody(r, &req); err != nil {
		return nil, err
	}
	return perNode(s, r, func(ctx context.Context, a *garage.Admin) (map[string]string, error) {
		vs, err := a.WorkerVars(ctx, req.Variable)
		out := map[string]string{}
		for _, v := range vs {
			out[v.Name] = v.Value
		}
		return out, err
	})
}

// SetWorkerVariableReq is SetWorkerVariable's request and, per node, its
// reply.
type SetWorkerVariableReq struct {
	Variable string `json:"variable"`
	Value    string `json:"value"`
}

func (s *Server) setWorkerVariable(r *http.Request) (any, error) {
	var req SetWorkerVariableReq
	if err := decodeBody(r, &req); err != nil {
		return nil, err
	}
	if req.Variable == "" || req.Value == "" {
		return nil, badRequest("variable and value are required")
	}
	return perNode(s, r, func(ctx context.Context, a *garage.Admin) (SetWorkerVariableReq, error) {
		v, err := a.SetWorkerVar(ctx, req.Variable, req.Value)
		return SetWorkerVariableReq{Variable: v.Name, Value: v.Value}, err
	})
}
