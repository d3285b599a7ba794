package rttest

import (
	"context"
	"errors"
	"time"

	"github.com/gogarage/garage/node/rt"
)

// PlantedBug is a deliberate divergence from the port contracts and the
// world suite case that must catch it.
type PlantedBug struct {
	Bug   string // the name Plant takes
	Suite string // "Net", "Tasks", "Clock" or "Starter"
	Case  string // the case that must fail
}

// PlantedBugs lists the divergences Plant can plant. A driver's tests run
// each suite case on ports wrapped by Plant and check that it fails: the
// suites can tell a port that behaves differently in one world.
func PlantedBugs() []PlantedBug {
	return []PlantedBug{
		{"timeout-as-unreachable", "Net", "CallOutcomes"},
		{"self-no-handler-as-remote", "Net", "CallOutcomes"},
		{"cancel-as-timeout", "Net", "ContextEnds"},
		{"no-priority", "Net", "PriorityPassesBulk"},
		{"done-twice", "Starter", "Outcomes"},
		{"done-in-task", "Starter", "Outcomes"},
		{"sleep-none", "Clock", "SleepAtLeast"},
	}
}

// Plant returns env with the divergence named by bug (see PlantedBugs):
//
//   - timeout-as-unreachable: Call reports rt.ErrUnreachable for a timeout;
//   - self-no-handler-as-remote: a call to the node itself reports a missing
//     handler as a *rt.RemoteError, as a self call through a serialising
//     path might;
//   - cancel-as-timeout: a call whose context was cancelled reports
//     rt.ErrTimeout;
//   - no-priority: every call and started call goes at PrioNormal;
//   - done-twice: Start calls done a second time after the first;
//   - done-in-task: Start waits for the reply in a new task and runs done
//     there (StartCall's fallback), not from the driver;
//   - sleep-none: Clock.Sleep returns at once, without sleeping.
func Plant(env rt.Env, bug string) rt.Env {
	env.Net = &plantedNet{Net: env.Net, env: env, bug: bug}
	if bug == "sleep-none" {
		env.Clock = noSleep{env.Clock}
	}
	return env
}

// plantedNet is a Net with a planted bug.
type plantedNet struct {
	rt.Net
	env rt.Env
	bug string
}

func (n *plantedNet) Call(ctx context.Context, to rt.NodeID, ep string, req []byte, o rt.CallOpts) ([]byte, error) {
	if n.bug == "no-priority" {
		o.Prio = rt.PrioNormal
	}
	rep, err := n.Net.Call(ctx, to, ep, req, o)
	switch {
	case n.bug == "timeout-as-unreachable" && errors.Is(err, rt.ErrTimeout):
		err = rt.ErrUnreachable
	case n.bug == "self-no-handler-as-remote" && to == n.env.ID && errors.Is(err, rt.ErrNoHandler):
		err = &rt.RemoteError{Endpoint: ep, Msg: err.Error()}
	case n.bug == "cancel-as-timeout" && errors.Is(err, context.Canceled):
		err = rt.ErrTimeout
	}
	return rep, err
}

func (n *plantedNet) Start(to rt.NodeID, ep string, req []byte, o rt.CallOpts, done func([]byte, error)) {
	s := n.Net.(rt.Starter)
	switch n.bug {
	case "no-priority":
		o.Prio = rt.PrioNormal
	case "done-twice":
		once := done
		done = func(rep []byte, err error) { once(rep, err); once(rep, err) }
	case "done-in-task":
		req = append([]byte(nil), req...)
		n.env.Tasks.Spawn("planted-call", func(ctx context.Context) { done(n.Net.Call(ctx, to, ep, req, o)) })
		return
	}
	s.Start(to, ep, req, o, done)
}

// noSleep is a clock whose Sleep does not sleep.
type noSleep struct{ rt.Clock }

func (noSleep) Sleep(ctx context.Context, _ time.Duration) error { return ctx.Err() }
