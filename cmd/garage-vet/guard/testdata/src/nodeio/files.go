package nodeio

import (
	"io/fs"
	"path/filepath"
)

func glob() ([]string, error) {
	return filepath.Glob("*.go") // want "os-io: use of path/filepath.Glob"
}

func walk(root string) error {
	_, _ = filepath.Abs(root)                                                            // want "os-io: use of path/filepath.Abs"
	_, _ = filepath.EvalSymlinks(root)                                                   // want "os-io: use of path/filepath.EvalSymlinks"
	return filepath.WalkDir(root, func(string, fs.DirEntry, error) error { return nil }) // want "os-io: use of path/filepath.WalkDir"
}
