package results

import (
	"bytes"
	"fmt"
	"os/exec"
	"runtime"
	"runtime/debug"
	"strings"
	"time"
)

// World is where an experiment ran.
type World string

// The worlds of DESIGN.md §6.
const (
	Sim    World = "sim"    // the deterministic simulator
	Real   World = "real"   // real processes over loopback TCP, shaped by netem
	Target World = "target" // an already deployed cluster, sent requests only
)

func (w World) check() error {
	switch w {
	case Sim, Real, Target:
		return nil
	}
	return fmt.Errorf("world %q: want %q, %q or %q", w, Sim, Real, Target)
}

// Meta is what meta.json records about one run of an experiment: enough
// to rerun it and to know what code produced it.
type Meta struct {
	Experiment string `json:"experiment"`
	World      World  `json:"world"`
	Seed       uint64 `json:"seed"`
	// Params are the experiment's parameters by name (nodes, rtt_ms, …);
	// values must encode as JSON. Keys are written sorted.
	Params map[string]any `json:"params,omitempty"`
	// Started is the wall-clock start of the run.
	Started time.Time `json:"started,omitzero"`
	// Wall is how long the run took; Virtual how much simulated time it
	// covered (zero outside the simulator).
	Wall    time.Duration `json:"wall_ns"`
	Virtual time.Duration `json:"virtual_ns,omitempty"`
	Build   Build         `json:"build"`
}

// Build identifies the code that ran.
type Build struct {
	// Commit is the git commit of the source, "" if unknown; Dirty marks
	// uncommitted changes to tracked files.
	Commit    string   `json:"commit,omitempty"`
	Dirty     bool     `json:"dirty,omitempty"`
	GoVersion string   `json:"go_version"`
	Module    string   `json:"module,omitempty"` // the main module's path
	Deps      []Module `json:"deps,omitempty"`
}

// Module is one dependency of the binary, as the Go linker recorded it.
type Module struct {
	Path    string `json:"path"`
	Version string `json:"version"`
	// Replace is the replacing module ("path version"), if replaced.
	Replace string `json:"replace,omitempty"`
}

// ReadBuild describes the running binary: its Go version and module
// versions (runtime/debug.ReadBuildInfo), and the commit of the git work
// tree at repo (`git rev-parse HEAD`), or else the one the Go tool
// stamped into the binary. A commit that cannot be found is left empty;
// a caller that knows it better sets Commit itself.
func ReadBuild(repo string) Build {
	bi, _ := debug.ReadBuildInfo()
	b := FromBuildInfo(bi)
	if commit, dirty, err := GitCommit(repo); err == nil {
		b.Commit, b.Dirty = commit, dirty
	}
	return b
}

// FromBuildInfo describes a binary from its build information (nil:
// only the Go version of this process is known).
func FromBuildInfo(bi *debug.BuildInfo) Build {
	b := Build{GoVersion: runtime.Version()}
	if bi == nil {
		return b
	}
	b.GoVersion, b.Module = bi.GoVersion, bi.Main.Path
	for _, d := range bi.Deps {
		m := Module{Path: d.Path, Version: d.Version}
		if r := d.Replace; r != nil {
			m.Replace = strings.TrimSpace(r.Path + " " + r.Version)
		}
		b.Deps = append(b.Deps, m)
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			b.Commit = s.Value
		case "vcs.modified":
			b.Dirty = s.Value == "true"
		}
	}
	return b
}

// GitCommit returns the commit checked out in the git work tree at repo
// and whether tracked files have uncommitted changes.
func GitCommit(repo string) (commit string, dirty bool, err error) {
	out, err := git(repo, "rev-parse", "HEAD")
	if err != nil {
		return "", false, err
	}
	status, err := git(repo, "status", "--porcelain", "--untracked-files=no")
	if err != nil {
		return "", false, err
	}
	return strings.TrimSpace(out), strings.TrimSpace(status) != "", nil
}

func git(repo string, args ...string) (string, error) {
	cmd := exec.Command("git", append([]string{"-C", repo}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("git %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return string(out), nil
}
