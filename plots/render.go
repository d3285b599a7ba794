package plots

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/gogarage/garage/plots/spec"
)

// SpecSuffix ends the name of every figure spec file; figure.json alone
// is one too.
const SpecSuffix = ".figure.json"

// Render draws every figure spec found in dir (figure.json and
// *.figure.json, in name order) into <name>.png and <name>.svg in dir,
// reading the CSV files the specs name relative to dir. It stops at the
// first spec that cannot be drawn; its error names the spec file.
func Render(dir string) error {
	paths, err := SpecFiles(dir)
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		return fmt.Errorf("%s: no figure.json or *%s", dir, SpecSuffix)
	}
	names := map[string]string{}
	for _, path := range paths {
		if err := renderOne(dir, path, names); err != nil {
			return err
		}
	}
	return nil
}

// SpecFiles lists the figure spec files of dir, sorted.
func SpecFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		n := e.Name()
		if !e.IsDir() && (n == "figure.json" || strings.HasSuffix(n, SpecSuffix)) {
			out = append(out, filepath.Join(dir, n))
		}
	}
	slices.Sort(out)
	return out, nil
}

// renderOne draws the spec at path; names maps each figure name drawn so
// far to its spec file, so two specs cannot overwrite each other.
func renderOne(dir, path string, names map[string]string) error {
	f, err := ReadSpec(path)
	if err != nil {
		return err
	}
	if other, dup := names[f.Name]; dup {
		return fmt.Errorf("%s: figure %q is also drawn by %s", path, f.Name, other)
	}
	names[f.Name] = path
	ch, err := Build(dir, f)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return writeFigure(dir, f, ch)
}

// ReadSpec reads and validates the figure spec at path. Errors name the
// file.
func ReadSpec(path string) (spec.Figure, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return spec.Figure{}, err
	}
	f, err := spec.Parse(b)
	if err != nil {
		return spec.Figure{}, fmt.Errorf("%s: %w", path, err)
	}
	return f, nil
}

// Build reads the CSV files f names, relative to dir, and builds its
// chart.
func Build(dir string, f spec.Figure) (*Chart, error) {
	t, err := ReadTable(filepath.Join(dir, f.Data))
	if err != nil {
		return nil, err
	}
	switch {
	case f.Bar != nil:
		return Bars(*f.Bar, t)
	case f.Line != nil:
		return Lines(*f.Line, t)
	case f.TimeSeries != nil:
		return buildTimeSeries(dir, *f.TimeSeries, t)
	case f.HeatMap != nil:
		return HeatMap(*f.HeatMap, t)
	case f.CDF != nil:
		return CDF(*f.CDF, t)
	case f.Box != nil:
		return Box(*f.Box, t)
	}
	_, err = f.Kind()
	return nil, err
}

// buildTimeSeries adds the windows of s.WindowData, if any, and draws.
func buildTimeSeries(dir string, s spec.TimeSeries, t *Table) (*Chart, error) {
	if wd := s.WindowData; wd != nil {
		wt, err := ReadTable(filepath.Join(dir, wd.Data))
		if err != nil {
			return nil, err
		}
		ws, err := ReadWindows(*wd, wt)
		if err != nil {
			return nil, err
		}
		s.Windows = append(slices.Clone(s.Windows), ws...)
	}
	return TimeSeries(s, t)
}

// writeFigure writes <name>.png and <name>.svg of ch into dir, each
// through a temporary file renamed into place, so a reader never sees a
// half-written figure.
func writeFigure(dir string, f spec.Figure, ch *Chart) error {
	var svg, png bytes.Buffer
	if err := ch.WriteSVG(&svg, f.Output); err != nil {
		return fmt.Errorf("figure %s: svg: %w", f.Name, err)
	}
	if err := ch.WritePNG(&png, f.Output); err != nil {
		return fmt.Errorf("figure %s: png: %w", f.Name, err)
	}
	if err := writeFile(filepath.Join(dir, f.Name+".svg"), svg.Bytes()); err != nil {
		return err
	}
	return writeFile(filepath.Join(dir, f.Name+".png"), png.Bytes())
}

// writeFile replaces path with data atomically.
func writeFile(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
