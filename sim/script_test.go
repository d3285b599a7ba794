package sim

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gogarage/garage/node/rt"
)

var update = flag.Bool("update", false, "rewrite the expected output of testdata scripts")

// TestScripts runs the scenario scripts of testdata/*.txt. Each record is
// a command line, a "----" line and the expected output, up to a blank
// line. Commands:
//
//	nodes n1 n2 ...          add echoing nodes (endpoint "echo", "slow" sleeps 1s)
//	call FROM TO EP [T]      start a call from a world task (timeout T)
//	crash N | restart N      crash or restart node N now
//	partition A,B C,D | heal cut the network into groups, or heal every cut
//	run D                    run for D of virtual time; prints what happened
func TestScripts(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.txt")
	if len(files) == 0 {
		t.Fatal("no scripts in testdata")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) { runScript(t, f) })
	}
}

type record struct{ cmd, want string }

func parseScript(t *testing.T, path string) []record {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var recs []record
	lines := strings.Split(string(data), "\n")
	for i := 0; i < len(lines); i++ {
		line := strings.TrimSpace(lines[i])
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if i+1 >= len(lines) || lines[i+1] != "----" {
			t.Fatalf("%s:%d: command without ---- line", path, i+1)
		}
		j := i + 2
		for j < len(lines) && lines[j] != "" {
			j++
		}
		recs = append(recs, record{cmd: line, want: strings.Join(lines[i+2:j], "\n")})
		i = j
	}
	return recs
}

func runScript(t *testing.T, path string) {
	s := &script{w: New(Config{Seed: 1, CallTimeout: 500 * time.Millisecond})}
	defer s.w.Close()
	var out strings.Builder
	for _, r := range parseScript(t, path) {
		got := s.exec(t, r.cmd)
		fmt.Fprintf(&out, "%s\n----\n%s", r.cmd, got)
		if got != "" {
			out.WriteString("\n")
		}
		out.WriteString("\n")
		if !*update && got != r.want {
			t.Errorf("%s: %s:\ngot:\n%s\nwant:\n%s", path, r.cmd, got, r.want)
		}
	}
	if *update {
		if err := os.WriteFile(path, []byte(out.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// script is the state of one running script.
type script struct {
	w   *World
	out []string
}

func (s *script) logf(format string, args ...any) {
	s.out = append(s.out, fmtVTime(s.w.Now())+" "+fmt.Sprintf(format, args...))
}

func (s *script) exec(t *testing.T, cmd string) string {
	f := strings.Fields(cmd)
	switch f[0] {
	case "nodes":
		for _, id := range f[1:] {
			s.w.AddNode(rt.NodeID(id), "z1", s.boot)
		}
	case "call":
		s.call(f[1], f[2], f[3], f[4:])
	case "crash":
		s.w.Crash(rt.NodeID(f[1]))
	case "restart":
		s.w.Restart(rt.NodeID(f[1]))
	case "partition":
		var groups [][]string
		for _, g := range f[1:] {
			groups = append(groups, strings.Split(g, ","))
		}
		s.w.Network().Partition(groups...)
	case "heal":
		s.w.Network().HealAll()
	case "run":
		d, err := time.ParseDuration(f[1])
		if err != nil {
			t.Fatal(err)
		}
		if err := s.w.RunFor(d); err != nil {
			t.Fatal(err)
		}
	default:
		t.Fatalf("unknown command %q", cmd)
	}
	out := strings.Join(s.out, "\n")
	s.out = nil
	return out
}

func (s *script) boot(env rt.Env) {
	s.logf("%s boots", env.ID)
	env.Net.Handle("echo", func(_ context.Context, from rt.NodeID, req []byte) ([]byte, error) {
		return append([]byte(string(env.ID)+" echoes "), req...), nil
	})
	env.Net.Handle("slow", func(ctx context.Context, _ rt.NodeID, _ []byte) ([]byte, error) {
		return []byte("slow done"), env.Clock.Sleep(ctx, time.Second)
	})
}

func (s *script) call(from, to, ep string, rest []string) {
	var opts rt.CallOpts
	if len(rest) > 0 {
		opts.Timeout, _ = time.ParseDuration(rest[0])
	}
	s.w.Go("call", func(ctx context.Context) {
		reply, err := s.w.Env(rt.NodeID(from)).Net.Call(ctx, rt.NodeID(to), ep, []byte(from), opts)
		var re *rt.RemoteError
		switch {
		case err == nil:
			s.logf("call %s->%s %s: %q", from, to, ep, reply)
		case errors.As(err, &re):
			s.logf("call %s->%s %s: remote error %s", from, to, ep, re.Msg)
		default:
			s.logf("call %s->%s %s: %v", from, to, ep, err)
		}
	})
}
