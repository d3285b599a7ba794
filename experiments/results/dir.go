package results

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"

	"github.com/gogarage/garage/plots/spec"
)

// Dir is the results directory of one experiment, <root>/<name>/.
type Dir struct {
	name, path string
}

// Create makes (if need be) the directory <root>/<name> and returns it.
// The name must be a plain directory name: letters, digits, '.', '_',
// '-', not starting with a punctuation mark.
func Create(root, name string) (Dir, error) {
	if !regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`).MatchString(name) {
		return Dir{}, fmt.Errorf("results: experiment name %q: want a plain directory name", name)
	}
	path := filepath.Join(root, name)
	if err := os.MkdirAll(path, 0o755); err != nil {
		return Dir{}, fmt.Errorf("results: %w", err)
	}
	return Dir{name: name, path: path}, nil
}

// Name returns the experiment's name.
func (d Dir) Name() string { return d.name }

// Path returns the directory's path.
func (d Dir) Path() string { return d.path }

// WriteTable writes t as <t.Name()>.csv, replacing any earlier file.
func (d Dir) WriteTable(t *Table) error {
	var b bytes.Buffer
	if _, err := t.WriteTo(&b); err != nil {
		return fmt.Errorf("results: table %s: %w", t.Name(), err)
	}
	return d.write(t.Name()+".csv", b.Bytes())
}

// WriteFigure validates f and writes it as <f.Name>.figure.json, for
// plots.Render to draw. The CSV file f names must already be in the
// directory: write the table first.
func (d Dir) WriteFigure(f spec.Figure) error {
	if err := f.Validate(); err != nil {
		return fmt.Errorf("results: %w", err)
	}
	if _, err := os.Stat(filepath.Join(d.path, f.Data)); err != nil {
		return fmt.Errorf("results: figure %q: data: %w (write the table first)", f.Name, err)
	}
	b, err := spec.Marshal(f)
	if err != nil {
		return fmt.Errorf("results: figure %q: %w", f.Name, err)
	}
	return d.write(f.Name+".figure.json", b)
}

// WriteMeta writes m as meta.json. An empty m.Experiment is the
// directory's name; m.World must be Sim, Real or Target.
func (d Dir) WriteMeta(m Meta) error {
	if m.Experiment == "" {
		m.Experiment = d.name
	}
	if err := m.World.check(); err != nil {
		return fmt.Errorf("results: meta: %w", err)
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("results: meta: %w", err)
	}
	return d.write("meta.json", append(b, '\n'))
}

// write replaces the file name of d with data atomically: a reader sees
// the old file or the new one, never half of it.
func (d Dir) write(name string, data []byte) error {
	tmp, err := os.CreateTemp(d.path, "."+name+".*")
	if err != nil {
		return fmt.Errorf("results: %w", err)
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Chmod(0o644)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), filepath.Join(d.path, name))
	}
	if err != nil {
		return fmt.Errorf("results: %w", err)
	}
	return nil
}
