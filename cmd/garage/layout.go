package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strconv"

	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/node/daemon"
	"github.com/gogarage/garage/node/garage"
	"github.com/gogarage/garage/node/rt"
)

const layoutUsage = `usage: garage layout <command>

commands:
  show                                        current layout, staged changes and the layout they give
  history                                     versions and transition trackers
  assign -z <zone> (-c <capacity> | -g) [-t <tag>]... <node id prefix>...
  remove <node id prefix>
  config -r <zone redundancy | maximum>
  apply --version <n>
  revert
  skip-dead-nodes --version <n> [--allow-missing-data]`

func (c *cli) layout(args []string) error {
	if len(args) == 0 {
		return usage(layoutUsage, nil)
	}
	cmds := map[string]func([]string) error{
		"show": c.layoutShow, "history": c.layoutHistory, "assign": c.layoutAssign,
		"remove": c.layoutRemove, "config": c.layoutConfig, "apply": c.layoutApply,
		"revert": c.layoutRevert, "skip-dead-nodes": c.layoutSkipDead,
	}
	fn, ok := cmds[args[0]]
	if !ok {
		return usage(layoutUsage, fmt.Errorf("unknown command \"layout %s\"", args[0]))
	}
	return fn(args[1:])
}

// noArgs parses a command that takes no argument.
func noArgs(name string, args []string) error {
	if pos, err := parseInterleaved(newFlagSet(name), args); err != nil || len(pos) > 0 {
		return usage(layoutUsage, err)
	}
	return nil
}

func (c *cli) layoutShow(args []string) error {
	if err := noArgs("layout show", args); err != nil {
		return err
	}
	return c.withClient(func(ctx context.Context, cl *daemon.Client) error {
		h, err := cl.Layout(ctx)
		if err != nil {
			return err
		}
		renderLayoutShow(c.stdout, h)
		return nil
	})
}

func (c *cli) layoutHistory(args []string) error {
	if err := noArgs("layout history", args); err != nil {
		return err
	}
	return c.withClient(func(ctx context.Context, cl *daemon.Client) error {
		h, err := cl.Layout(ctx)
		if err != nil {
			return err
		}
		renderLayoutHistory(c.stdout, h)
		return nil
	})
}

// assignFlags are the options of `layout assign`.
type assignFlags struct {
	zone, capacity string
	gateway        bool
	tags           listFlag
	tagsSet        bool
}

func (c *cli) layoutAssign(args []string) error {
	var f assignFlags
	fs := newFlagSet("layout assign")
	for _, n := range []string{"z", "zone"} {
		fs.StringVar(&f.zone, n, "", "zone")
	}
	for _, n := range []string{"c", "capacity"} {
		fs.StringVar(&f.capacity, n, "", "capacity")
	}
	for _, n := range []string{"g", "gateway"} {
		fs.BoolVar(&f.gateway, n, false, "gateway")
	}
	for _, n := range []string{"t", "tag"} {
		fs.Var(&f.tags, n, "tag")
	}
	pos, err := parseInterleaved(fs, args)
	if err != nil || len(pos) == 0 {
		return usage(layoutUsage, err)
	}
	fs.Visit(func(fl *flag.Flag) { f.tagsSet = f.tagsSet || fl.Name == "t" || fl.Name == "tag" })
	if f.gateway && f.capacity != "" {
		return errors.New("give either a capacity (-c) or -g for a gateway, not both")
	}
	if f.capacity != "" {
		if _, err := parseCapacity(f.capacity); err != nil {
			return err
		}
	}
	return c.withClient(func(ctx context.Context, cl *daemon.Client) error {
		return c.assign(ctx, cl, f, pos)
	})
}

func (c *cli) assign(ctx context.Context, cl *daemon.Client, f assignFlags, prefixes []string) error {
	st, h, err := statusAndLayout(ctx, cl)
	if err != nil {
		return err
	}
	var req garage.StageRequest
	for _, p := range prefixes {
		id, err := resolveNode(p, knownIDs(st))
		if err != nil {
			return err
		}
		r, err := f.role(baseRole(h, id))
		if err != nil {
			return fmt.Errorf("node %s: %w", id.Short(), err)
		}
		req.Roles = append(req.Roles, garage.RoleChange{Node: id, Role: r})
	}
	if err := cl.Stage(ctx, req); err != nil {
		return err
	}
	fmt.Fprintln(c.stdout, "Role changes are staged but not yet committed.\n"+
		"Use `garage layout show` to view staged role changes,\n"+
		"and `garage layout apply` to enact staged changes.")
	return nil
}

func statusAndLayout(ctx context.Context, cl *daemon.Client) (garage.StatusReply, *layout.History, error) {
	st, err := cl.Status(ctx)
	if err != nil {
		return st, nil, err
	}
	h, err := cl.Layout(ctx)
	return st, h, err
}

// baseRole returns the role id would have if the staging were applied,
// which an assignment modifies, or nil if it has none.
func baseRole(h *layout.History, id rt.NodeID) *layout.Role {
	for _, m := range h.StagedMembers() {
		if m.ID == id {
			r := m.Role
			return &r
		}
	}
	return nil
}

// role applies the flags to the node's role (nil if it has none).
func (f assignFlags) role(base *layout.Role) (layout.Role, error) {
	var r layout.Role
	if base != nil {
		r = *base
	}
	if f.zone != "" {
		r.Zone = f.zone
	}
	if f.tagsSet {
		r.Tags = append([]string(nil), f.tags...)
	}
	switch {
	case f.gateway:
		r.Gateway, r.Capacity = true, 0
	case f.capacity != "":
		cp, err := parseCapacity(f.capacity)
		if err != nil {
			return r, err
		}
		r.Gateway, r.Capacity = false, cp
	}
	return r, checkAssigned(r)
}

func checkAssigned(r layout.Role) error {
	switch {
	case r.Zone == "":
		return errors.New("no zone: give one with -z <zone>")
	case !r.Gateway && r.Capacity <= 0:
		return errors.New("no capacity: give one with -c <capacity> (e.g. 10G), or -g for a gateway")
	}
	return nil
}

func (c *cli) layoutRemove(args []string) error {
	pos, err := parseInterleaved(newFlagSet("layout remove"), args)
	if err != nil || len(pos) != 1 {
		return usage(layoutUsage, err)
	}
	return c.withClient(func(ctx context.Context, cl *daemon.Client) error {
		st, err := cl.Status(ctx)
		if err != nil {
			return err
		}
		id, err := resolveNode(pos[0], knownIDs(st))
		if err != nil {
			return err
		}
		if err := cl.Stage(ctx, garage.StageRequest{Roles: []garage.RoleChange{{Node: id, Remove: true}}}); err != nil {
			return err
		}
		fmt.Fprintln(c.stdout, "Role removal is staged but not yet committed.\n"+
			"Use `garage layout show` to view staged role changes,\n"+
			"and `garage layout apply` to enact staged changes.")
		return nil
	})
}

func (c *cli) layoutConfig(args []string) error {
	fs := newFlagSet("layout config")
	var zr string
	fs.StringVar(&zr, "r", "", "zone redundancy")
	fs.StringVar(&zr, "redundancy", "", "zone redundancy")
	pos, err := parseInterleaved(fs, args)
	if err != nil || len(pos) > 0 || zr == "" {
		return usage(layoutUsage, err)
	}
	n, err := parseRedundancy(zr)
	if err != nil {
		return err
	}
	return c.withClient(func(ctx context.Context, cl *daemon.Client) error {
		if err := cl.Stage(ctx, garage.StageRequest{Redundancy: &n}); err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "The zone redundancy parameter has been set to '%s'.\n", zr)
		return nil
	})
}

// parseRedundancy parses "maximum" (0) or a zone count from 1 to 7.
func parseRedundancy(s string) (int, error) {
	if s == "maximum" || s == "max" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 7 {
		return 0, fmt.Errorf("zone redundancy %q: want \"maximum\" or a number of zones from 1 to 7", s)
	}
	return n, nil
}

// versionFlag parses the mandatory --version of apply and skip-dead-nodes.
func versionFlag(name string, args []string, extra func(fs *flag.FlagSet)) (uint64, error) {
	fs := newFlagSet(name)
	v := fs.Uint64("version", 0, "layout version")
	if extra != nil {
		extra(fs)
	}
	pos, err := parseInterleaved(fs, args)
	if err != nil || len(pos) > 0 {
		return 0, usage(layoutUsage, err)
	}
	if *v == 0 {
		return 0, errors.New("please pass the new layout version number with --version, to make sure you apply " +
			"the layout you reviewed (see `garage layout show`)")
	}
	return *v, nil
}

func (c *cli) layoutApply(args []string) error {
	v, err := versionFlag("layout apply", args, nil)
	if err != nil {
		return err
	}
	return c.withClient(func(ctx context.Context, cl *daemon.Client) error {
		sum, err := cl.Apply(ctx, v)
		if err != nil {
			return err
		}
		fmt.Fprint(c.stdout, sum.String())
		fmt.Fprintln(c.stdout, "\nNew cluster layout with updated role assignment has been applied in cluster.\n"+
			"Data will now be moved around between nodes accordingly.")
		return nil
	})
}

func (c *cli) layoutRevert(args []string) error {
	if err := noArgs("layout revert", args); err != nil {
		return err
	}
	return c.withClient(func(ctx context.Context, cl *daemon.Client) error {
		if err := cl.Revert(ctx); err != nil {
			return err
		}
		fmt.Fprintln(c.stdout, "All proposed role changes in cluster layout have been canceled.")
		return nil
	})
}

func (c *cli) layoutSkipDead(args []string) error {
	var allow bool
	v, err := versionFlag("layout skip-dead-nodes", args, func(fs *flag.FlagSet) {
		fs.BoolVar(&allow, "allow-missing-data", false, "accept losing data only dead nodes held")
	})
	if err != nil {
		return err
	}
	return c.withClient(func(ctx context.Context, cl *daemon.Client) error {
		dead, err := cl.SkipDeadNodes(ctx, v, allow)
		if err != nil {
			return err
		}
		for _, id := range dead {
			fmt.Fprintf(c.stdout, "Skipped node %s.\n", id.Short())
		}
		fmt.Fprintf(c.stdout, "%d node(s) skipped for layout version %d.\n", len(dead), v)
		return nil
	})
}
