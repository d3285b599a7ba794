package daemon

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/gogarage/garage/layout"
)

// Size is a number of bytes, written in garage.toml as an integer (bytes)
// or a string with a unit ("1M", "256MiB"; see layout.ParseBytes).
type Size int64

// UnmarshalTOML reads an integer or a string with a unit.
func (s *Size) UnmarshalTOML(v any) error {
	n, err := parseSize(v)
	*s = Size(n)
	return err
}

// Bytes returns the size in bytes.
func (s Size) Bytes() int64 { return int64(s) }

func (s Size) String() string { return layout.FormatBytes(int64(s)) }

func parseSize(v any) (int64, error) {
	switch x := v.(type) {
	case int64:
		if x < 0 {
			return 0, fmt.Errorf("got %d, want a size of at least 0 bytes", x)
		}
		return x, nil
	case string:
		return layout.ParseBytes(x)
	}
	return 0, fmt.Errorf("got %s, want a size such as \"1M\" or a number of bytes", tomlTypeName(v))
}

// Compression is compression_level: "none", or a zstd level (default 1).
type Compression struct {
	level int
	off   bool
	set   bool
}

// CompressionAt returns zstd compression at level n.
func CompressionAt(n int) Compression { return Compression{level: n, set: true} }

// CompressionOff returns no compression.
func CompressionOff() Compression { return Compression{off: true, set: true} }

// Level returns the zstd level and whether blocks are compressed at all.
func (c Compression) Level() (int, bool) { return c.level, !c.off }

func (c Compression) String() string {
	if c.off {
		return "none"
	}
	return strconv.Itoa(c.level)
}

// UnmarshalTOML reads "none" or an integer from -99 to 22 (zstd's levels;
// negative ones are faster).
func (c *Compression) UnmarshalTOML(v any) error {
	switch x := v.(type) {
	case string:
		if x == "none" {
			*c = CompressionOff()
			return nil
		}
		if n, err := strconv.Atoi(x); err == nil {
			return c.UnmarshalTOML(int64(n))
		}
		return fmt.Errorf("got %q, want \"none\" or a zstd level from -99 to 22 (default 1)", x)
	case int64:
		if x < -99 || x > 22 {
			return fmt.Errorf("got %d, want \"none\" or a zstd level from -99 to 22 (default 1)", x)
		}
		*c = CompressionAt(int(x))
		return nil
	}
	return fmt.Errorf("got %s, want \"none\" or a zstd level from -99 to 22", tomlTypeName(v))
}

// DataDir is one directory of data blocks. Capacity is 0 for a single
// data_dir (the layout says how much the node stores) and for a
// read-only one (its blocks are read and moved away, never written).
type DataDir struct {
	Path     string
	Capacity int64
	ReadOnly bool
}

// DataDirs is data_dir: one path, or a list of {path, capacity} and
// {path, read_only = true} tables, as in Garage.
type DataDirs []DataDir

// UnmarshalTOML reads a string or a list of tables.
func (d *DataDirs) UnmarshalTOML(v any) error {
	switch x := v.(type) {
	case string:
		*d = DataDirs{{Path: x}}
		return d.check()
	case []map[string]any:
		return d.fromTables(x)
	case []any:
		tables := make([]map[string]any, len(x))
		for i, e := range x {
			t, ok := e.(map[string]any)
			if !ok {
				return fmt.Errorf("entry %d: got %s, want a table {path = \"...\", capacity = \"1T\"}", i+1, tomlTypeName(e))
			}
			tables[i] = t
		}
		return d.fromTables(tables)
	}
	return fmt.Errorf("got %s, want a path or a list of {path, capacity}", tomlTypeName(v))
}

func (d *DataDirs) fromTables(ts []map[string]any) error {
	dirs := make(DataDirs, len(ts))
	for i, t := range ts {
		dd, err := dataDirOf(t)
		if err != nil {
			return fmt.Errorf("entry %d: %w", i+1, err)
		}
		dirs[i] = dd
	}
	*d = dirs
	return d.checkAs(true)
}

// dataDirOf reads one {path, capacity, read_only} table.
func dataDirOf(t map[string]any) (DataDir, error) {
	var dd DataDir
	for _, k := range sortedKeys(t) {
		var err error
		switch k {
		case "path":
			p, ok := t[k].(string)
			if !ok {
				err = fmt.Errorf("path: got %s, want a string", tomlTypeName(t[k]))
			}
			dd.Path = p
		case "capacity":
			if dd.Capacity, err = parseSize(t[k]); err != nil {
				err = fmt.Errorf("capacity: %w", err)
			}
		case "read_only":
			ro, ok := t[k].(bool)
			if !ok {
				err = fmt.Errorf("read_only: got %s, want true or false", tomlTypeName(t[k]))
			}
			dd.ReadOnly = ro
		default:
			err = fmt.Errorf("unknown key %q: want path, capacity or read_only", k)
		}
		if err != nil {
			return dd, err
		}
	}
	return dd, nil
}

// check enforces Garage's rules on data directories given as a value:
// a list if it has several entries or any capacity or read-only flag.
func (d DataDirs) check() error {
	listed := len(d) > 1
	for _, dd := range d {
		listed = listed || dd.Capacity > 0 || dd.ReadOnly
	}
	return d.checkAs(listed)
}

// checkAs enforces Garage's rules: every entry has a path; in a list
// every entry has a capacity or is read-only, not both; at least one is
// writable; no path appears twice.
func (d DataDirs) checkAs(listed bool) error {
	seen := map[string]bool{}
	writable := 0
	for i, dd := range d {
		if err := dd.check(listed); err != nil {
			return fmt.Errorf("entry %d: %w", i+1, err)
		}
		p := filepath.Clean(dd.Path)
		if seen[p] {
			return fmt.Errorf("entry %d: path %q appears twice", i+1, dd.Path)
		}
		seen[p] = true
		if !dd.ReadOnly {
			writable++
		}
	}
	if len(d) > 0 && writable == 0 {
		return errors.New("every directory is read_only: want at least one with a capacity")
	}
	return nil
}

func (dd DataDir) check(listed bool) error {
	switch {
	case dd.Path == "":
		return errors.New("path: missing")
	case !listed:
		return nil
	case dd.ReadOnly && dd.Capacity > 0:
		return fmt.Errorf("%s: give a capacity or read_only = true, not both", dd.Path)
	case !dd.ReadOnly && dd.Capacity <= 0:
		return fmt.Errorf("%s: capacity missing: want e.g. capacity = \"1T\" (or read_only = true)", dd.Path)
	}
	return nil
}

// DataDirs returns a copy of the data directories.
func (c Config) DataDirs() []DataDir { return slices.Clone(c.DataDir) }

// PrimaryDataDir returns the first writable data directory: where a node
// with a single block store keeps its blocks, and whose free space it
// reports.
func (c Config) PrimaryDataDir() string {
	for _, dd := range c.DataDir {
		if !dd.ReadOnly {
			return dd.Path
		}
	}
	return ""
}

func tomlTypeName(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case int64:
		return "an integer"
	case float64:
		return "a float"
	case bool:
		return "a boolean"
	case []any, []map[string]any:
		return "a list"
	case map[string]any:
		return "a table"
	}
	return fmt.Sprintf("%T", v)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
