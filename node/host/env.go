package host

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"

	"github.com/gogarage/garage/node/rt"
)

// Config describes one real node.
type Config struct {
	ID rt.NodeID // required
	// Dir is the root of the node's block files; empty means no Files.
	Dir string
	// Net configures RPC; its ID is taken from Config.ID.
	Net NetConfig
	// KV is the metadata engine (node/host/boltkv in a daemon). It is
	// closed by Node.Close if it implements io.Closer.
	KV     rt.KV
	Faults rt.Faults
	Log    *slog.Logger // default: discard
	// Context is the parent of the node's lifetime (default Background).
	Context context.Context
}

// Node is a running real node: its rt.Env and the handles that own the
// resources behind it.
type Node struct {
	Env   rt.Env
	Clock *Clock
	Rand  *Rand
	Tasks *Tasks
	Net   *Net
	Files *Files // nil without Config.Dir
}

// Start builds the ports of a node and starts listening.
func Start(cfg Config) (*Node, error) {
	if cfg.ID == "" {
		return nil, errors.New("start node: empty id")
	}
	if cfg.Context == nil {
		cfg.Context = context.Background()
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	nd := &Node{Clock: NewClock(), Rand: NewRand(), Tasks: NewTasks(cfg.Context)}
	if cfg.Dir != "" {
		f, err := NewFiles(cfg.Dir)
		if err != nil {
			return nil, fmt.Errorf("start node %s: %w", cfg.ID, err)
		}
		nd.Files = f
	}
	ncfg := cfg.Net
	ncfg.ID, ncfg.Context = cfg.ID, nd.Tasks.Context()
	if ncfg.Log == nil {
		ncfg.Log = cfg.Log
	}
	n, err := NewNet(ncfg)
	if err != nil {
		return nil, fmt.Errorf("start node %s: %w", cfg.ID, err)
	}
	nd.Net = n
	nd.Env = nd.env(cfg)
	return nd, nil
}

func (nd *Node) env(cfg Config) rt.Env {
	e := rt.Env{ID: cfg.ID, Clock: nd.Clock, Rand: nd.Rand, Net: nd.Net,
		Tasks: nd.Tasks, KV: cfg.KV, Faults: cfg.Faults,
		Log: cfg.Log.With("node", cfg.ID.Short())}
	if nd.Files != nil {
		e.Files = nd.Files
	}
	return e
}

// Close shuts the node down: it cancels the lifetime context, closes the
// network (failing pending calls), waits for every task and closes the KV
// if it is an io.Closer.
func (nd *Node) Close() error {
	nd.Tasks.Cancel()
	err := nd.Net.Close()
	nd.Tasks.Wait()
	if c, ok := nd.Env.KV.(io.Closer); ok {
		if cerr := c.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("close kv: %w", cerr)
		}
	}
	return err
}
