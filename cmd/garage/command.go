package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
)

// command is a node of the CLI's command tree: a group of subcommands, or
// a leaf whose setup defines its flags and returns what runs it on the
// positional arguments.
type command struct {
	name    string // full name, as typed after "garage"
	summary string // one line, shown in lists and atop the help
	usage   string // the command line, after "garage"
	example string // one or more lines, after "garage"
	more    string // further explanation, if any
	sub     []*command
	setup   func(fs *flag.FlagSet) func(pos []string) error
}

// find returns the subcommand named word.
func (cmd *command) find(word string) *command {
	for _, s := range cmd.sub {
		if s.name == cmd.name+" "+word || (cmd.name == "" && s.name == word) {
			return s
		}
	}
	return nil
}

// exec runs cmd on args: a group dispatches on its first word, a leaf
// parses its flags (with the global ones, wherever they stand) and runs.
func (c *cli) exec(cmd *command, args []string) error {
	if cmd.sub != nil {
		return c.execGroup(cmd, args)
	}
	fs := newFlagSet(cmd.name)
	run := cmd.setup(fs)
	global := c.globalFlags(fs)
	pos, err := parseInterleaved(fs, args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		c.help(c.stdout, cmd, fs, global)
		return nil
	case err != nil:
		return c.usage(cmd, err)
	}
	return run(pos)
}

func (c *cli) execGroup(cmd *command, args []string) error {
	if len(args) == 0 {
		return c.usage(cmd, nil)
	}
	if isHelp(args[0]) {
		c.help(c.stdout, cmd, nil, nil)
		return nil
	}
	sub := cmd.find(args[0])
	if sub == nil && strings.HasPrefix(args[0], "-") {
		// A global flag before the subcommand: garage layout -c f show.
		fs := newFlagSet(cmd.name)
		c.globalFlags(fs)
		if err := fs.Parse(args); err != nil {
			return c.usage(cmd, err)
		}
		return c.exec(cmd, fs.Args())
	}
	if sub == nil {
		return c.usage(cmd, fmt.Errorf("unknown command \"%s\"", strings.TrimSpace(cmd.name+" "+args[0])))
	}
	return c.exec(sub, args[1:])
}

func isHelp(s string) bool {
	return s == "-h" || s == "--help" || s == "-help" || s == "help"
}

// usageError is a command line that does not parse (exit status 2).
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// usage returns a usage error: err's message if any, the command's usage
// line and where to find more.
func (c *cli) usage(cmd *command, err error) error {
	var b strings.Builder
	if err != nil {
		fmt.Fprintf(&b, "%v\n", err)
	}
	if cmd.sub != nil {
		fmt.Fprintf(&b, "usage: %s <command>\n\n", strings.TrimSpace("garage "+cmd.name))
		writeCommands(&b, cmd)
		b.WriteString("\n")
	} else {
		fmt.Fprintf(&b, "usage: garage %s\n", cmd.usage)
	}
	fmt.Fprintf(&b, "Run '%s --help' for details.", strings.TrimSpace("garage "+cmd.name))
	return &usageError{msg: b.String()}
}

// help prints the command's help: summary, usage, flags with their
// defaults, example.
func (c *cli) help(w io.Writer, cmd *command, fs *flag.FlagSet, global map[string]bool) {
	name := strings.TrimSpace("garage " + cmd.name)
	fmt.Fprintf(w, "%s — %s\n\n", name, cmd.summary)
	if cmd.sub != nil {
		fmt.Fprintf(w, "Usage:\n  %s <command> [flags]\n\nCommands:\n", name)
		writeCommands(w, cmd)
	} else {
		fmt.Fprintf(w, "Usage:\n  garage %s\n", cmd.usage)
	}
	if cmd.more != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimSpace(cmd.more))
	}
	if fs != nil {
		writeFlags(w, fs, global)
	}
	if cmd.example != "" {
		fmt.Fprintln(w, "\nExample:")
		for _, l := range strings.Split(strings.TrimSpace(cmd.example), "\n") {
			fmt.Fprintf(w, "  garage %s\n", strings.TrimSpace(l))
		}
	}
	if cmd.sub != nil {
		fmt.Fprintf(w, "\nRun '%s <command> --help' for the flags of a command.\n", name)
	}
}

// writeCommands lists the subcommands of a group with their summaries.
func writeCommands(w io.Writer, cmd *command) {
	width := 0
	for _, s := range cmd.sub {
		width = max(width, len(lastWord(s.name)))
	}
	for _, s := range cmd.sub {
		fmt.Fprintf(w, "  %-*s  %s\n", width, lastWord(s.name), s.summary)
	}
}

func lastWord(s string) string { return s[strings.LastIndexByte(s, ' ')+1:] }

// flagDoc is one flag of a help text, its aliases together.
type flagDoc struct {
	names  []string
	arg    string
	usage  string
	dflt   string
	global bool
}

// writeFlags prints the flags of fs, a flag's aliases (same usage text)
// on one line, the command's own first, then the global ones.
func writeFlags(w io.Writer, fs *flag.FlagSet, global map[string]bool) {
	var docs []*flagDoc
	byUsage := map[string]*flagDoc{}
	fs.VisitAll(func(f *flag.Flag) {
		arg, usage := flag.UnquoteUsage(f)
		d := byUsage[f.Usage]
		if d == nil {
			d = &flagDoc{arg: arg, usage: usage, dflt: f.DefValue, global: global[f.Name]}
			byUsage[f.Usage] = d
			docs = append(docs, d)
		}
		d.names = append(d.names, f.Name)
	})
	for _, g := range []bool{false, true} {
		var lines []string
		for _, d := range docs {
			if d.global == g {
				lines = append(lines, d.line())
			}
		}
		if len(lines) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s:\n", map[bool]string{false: "Flags", true: "Global flags"}[g])
		for _, l := range lines {
			fmt.Fprintln(w, l)
		}
	}
}

// line renders "  -z, --zone <string>   zone of the nodes (default "x")".
func (d *flagDoc) line() string {
	sort.Slice(d.names, func(i, j int) bool { return len(d.names[i]) < len(d.names[j]) })
	names := make([]string, len(d.names))
	for i, n := range d.names {
		names[i] = "--" + n
		if len(n) == 1 {
			names[i] = "-" + n
		}
	}
	left := strings.Join(names, ", ")
	if d.arg != "" {
		left += " <" + d.arg + ">"
	}
	s := fmt.Sprintf("  %-30s %s", left, strings.ReplaceAll(d.usage, "\n", "\n"+strings.Repeat(" ", 33)))
	if d.dflt != "" && d.dflt != "false" && d.dflt != "0" && d.dflt != "[]" {
		s += fmt.Sprintf(" (default %s)", d.dflt)
	}
	return s
}
