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

func (c *cli) layoutCmd() *command {
	return &command{name: "layout", summary: "the cluster layout: roles of the nodes, staged changes, versions", sub: []*command{
		{name: "layout show", summary: "current layout, staged changes and the layout they give",
			usage: "layout show", example: "layout show",
			more: "Exit status 1 when staged changes cannot be applied.", setup: c.layoutShowSetup},
		{name: "layout history", summary: "layout versions and transition trackers", usage: "layout history",
			example: "layout history", setup: c.layoutHistorySetup},
		{name: "layout assign", summary: "stage a role for nodes: zone, capacity or gateway, tags",
			usage:   "layout assign -z <zone> (-c <capacity> | -g) [-t <tag>]... <node id prefix>...",
			example: "layout assign -z dc1 -c 10G 563e\nlayout assign -g 8f0a  # a gateway keeps its zone",
			more: `Capacities take a unit: 10G is 10^10 bytes, 1T 10^12, 1Ti 2^40; plain bytes
need B (4096B). A node that has a role keeps what is not given. Here -c is
the capacity: give the configuration file with --config.`,
			setup: c.layoutAssignSetup},
		{name: "layout remove", summary: "stage the removal of a node's role", usage: "layout remove <node id prefix>",
			example: "layout remove 563e", setup: c.layoutRemoveSetup},
		{name: "layout config", summary: "stage the zone redundancy", usage: "layout config -r <zone redundancy | maximum>",
			example: "layout config -r 2", setup: c.layoutConfigSetup},
		{name: "layout apply", summary: "apply the staged changes as the next layout version",
			usage: "layout apply --version <n>", example: "layout apply --version 1",
			more: `--version must be the current version + 1, as 'garage layout show' prints:
it makes sure you apply the layout you reviewed. Exit status 1 when nothing
is staged (nothing is changed).`,
			setup: c.layoutApplySetup},
		{name: "layout revert", summary: "discard the staged changes", usage: "layout revert",
			example: "layout revert", setup: c.layoutRevertSetup},
		{name: "layout skip-dead-nodes", summary: "let a layout transition finish without the nodes that are down",
			usage: "layout skip-dead-nodes --version <n> [--allow-missing-data]", example: "layout skip-dead-nodes --version 2",
			setup: c.layoutSkipDeadSetup},
	}}
}

// noArgs returns a runner that refuses positional arguments.
func (c *cli) noArgs(name string, fn func() error) func([]string) error {
	return func(pos []string) error {
		if len(pos) > 0 {
			return c.usage(c.root().find("layout").find(lastWord(name)), fmt.Errorf("%s takes no argument", name))
		}
		return fn()
	}
}

func (c *cli) layoutShowSetup(*flag.FlagSet) func([]string) error {
	return c.noArgs("layout show", func() error {
		return c.withClient(func(ctx context.Context, cl *daemon.Client) error {
			h, err := cl.Layout(ctx)
			if err != nil {
				return err
			}
			renderLayoutShow(c.stdout, h)
			if _, _, err := h.Plan(); err != nil && h.HasChanges() {
				return fmt.Errorf("the staged changes cannot be applied%s", diagnose(h))
			}
			return nil
		})
	})
}

// diagnose names the staged storage nodes whose capacity cannot hold one
// byte per partition: the usual cause of an infeasible layout (a capacity
// typed without its unit).
func diagnose(h *layout.History) string {
	parts := int64(h.Current().Partitions())
	s := ""
	for _, m := range h.StagedMembers() {
		if r := m.Role; !r.Gateway && r.Capacity < parts {
			s += fmt.Sprintf("; node %s has a capacity of %s, less than one byte per partition (%d): did you mean %dG?",
				m.ID.Short(), layout.FormatBytes(r.Capacity), parts, r.Capacity)
		}
	}
	return s
}

func (c *cli) layoutHistorySetup(*flag.FlagSet) func([]string) error {
	return c.noArgs("layout history", func() error {
		return c.withClient(func(ctx context.Context, cl *daemon.Client) error {
			h, err := cl.Layout(ctx)
			if err != nil {
				return err
			}
			renderLayoutHistory(c.stdout, h)
			return nil
		})
	})
}

// assignFlags are the options of `layout assign`.
type assignFlags struct {
	zone, capacity string
	gateway        bool
	tags           listFlag
	tagsSet        bool
}

func (c *cli) layoutAssignSetup(fs *flag.FlagSet) func([]string) error {
	var f assignFlags
	for _, n := range []string{"z", "zone"} {
		fs.StringVar(&f.zone, n, "", "`zone` of the nodes (required for a node without a role)")
	}
	for _, n := range []string{"c", "capacity"} {
		fs.StringVar(&f.capacity, n, "", "storage `capacity` with a unit, e.g. 10G or 1T")
	}
	for _, n := range []string{"g", "gateway"} {
		fs.BoolVar(&f.gateway, n, false, "make the nodes gateways (no storage)")
	}
	for _, n := range []string{"t", "tag"} {
		fs.Var(&f.tags, n, "`tag` of the nodes (repeatable, or comma-separated; replaces the tags)")
	}
	return func(pos []string) error {
		if len(pos) == 0 {
			return c.usage(c.root().find("layout").find("assign"), errors.New("name at least one node (an id or a prefix of one)"))
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
	for _, rc := range req.Roles {
		fmt.Fprintf(c.stdout, "Staged: node %s in zone %s, %s, tags %s.\n", rc.Node.Short(), rc.Role.Zone,
			roleKind(rc.Role), tags(rc.Role.Tags))
	}
	fmt.Fprintln(c.stdout, "Role changes are staged but not yet committed.\n"+
		"Use `garage layout show` to view staged role changes,\n"+
		"and `garage layout apply` to enact staged changes.")
	return nil
}

func roleKind(r layout.Role) string {
	if r.Gateway {
		return "gateway"
	}
	return "capacity " + layout.FormatBytes(r.Capacity)
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

func (c *cli) layoutRemoveSetup(*flag.FlagSet) func([]string) error {
	return func(pos []string) error {
		if len(pos) != 1 {
			return c.usage(c.root().find("layout").find("remove"), errors.New("name one node (an id or a prefix of one)"))
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
			fmt.Fprintf(c.stdout, "Staged: removal of node %s.\n", id.Short())
			fmt.Fprintln(c.stdout, "Role removal is staged but not yet committed.\n"+
				"Use `garage layout show` to view staged role changes,\n"+
				"and `garage layout apply` to enact staged changes.")
			return nil
		})
	}
}

func (c *cli) layoutConfigSetup(fs *flag.FlagSet) func([]string) error {
	var zr string
	fs.StringVar(&zr, "r", "", "zone `redundancy`: a number of zones, or maximum")
	fs.StringVar(&zr, "redundancy", "", "zone `redundancy`: a number of zones, or maximum")
	return func(pos []string) error {
		if len(pos) > 0 || zr == "" {
			return c.usage(c.root().find("layout").find("config"), errors.New("give the zone redundancy with -r"))
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

// versionFlag defines the mandatory --version of apply and
// skip-dead-nodes; check returns it or says how to give it.
func versionFlag(fs *flag.FlagSet) (check func() (uint64, error)) {
	v := fs.Uint64("version", 0, "the layout `version` to apply: the current one + 1")
	return func() (uint64, error) {
		if *v == 0 {
			return 0, errors.New("please pass the new layout version number with --version, to make sure you apply " +
				"the layout you reviewed (see `garage layout show`)")
		}
		return *v, nil
	}
}

func (c *cli) layoutApplySetup(fs *flag.FlagSet) func([]string) error {
	version := versionFlag(fs)
	return c.noArgs("layout apply", func() error {
		v, err := version()
		if err != nil {
			return err
		}
		return c.withClient(func(ctx context.Context, cl *daemon.Client) error {
			sum, err := cl.Apply(ctx, v)
			if errors.Is(err, garage.ErrNothingStaged) {
				return fmt.Errorf("nothing to apply: no layout change is staged, so no version %d was made "+
					"(stage changes with `garage layout assign` or `remove` first)", v)
			}
			if err != nil {
				return err
			}
			fmt.Fprint(c.stdout, sum.String())
			fmt.Fprintln(c.stdout, "\nNew cluster layout with updated role assignment has been applied in cluster.\n"+
				"Data will now be moved around between nodes accordingly.")
			return nil
		})
	})
}

func (c *cli) layoutRevertSetup(*flag.FlagSet) func([]string) error {
	return c.noArgs("layout revert", func() error {
		return c.withClient(func(ctx context.Context, cl *daemon.Client) error {
			err := cl.Revert(ctx)
			if errors.Is(err, garage.ErrNothingStaged) {
				fmt.Fprintln(c.stdout, "Nothing to revert: no layout change is staged. Nothing was changed.")
				return nil
			}
			if err != nil {
				return err
			}
			fmt.Fprintln(c.stdout, "All proposed role changes in cluster layout have been canceled.")
			return nil
		})
	})
}

func (c *cli) layoutSkipDeadSetup(fs *flag.FlagSet) func([]string) error {
	version := versionFlag(fs)
	allow := fs.Bool("allow-missing-data", false, "accept losing the data only dead nodes held")
	return c.noArgs("layout skip-dead-nodes", func() error {
		v, err := version()
		if err != nil {
			return err
		}
		return c.withClient(func(ctx context.Context, cl *daemon.Client) error {
			dead, err := cl.SkipDeadNodes(ctx, v, *allow)
			if err != nil {
				return err
			}
			for _, id := range dead {
				fmt.Fprintf(c.stdout, "Skipped node %s.\n", id.Short())
			}
			fmt.Fprintf(c.stdout, "%d node(s) skipped for layout version %d.\n", len(dead), v)
			return nil
		})
	})
}
