//go:build !linux

package host

import (
	"errors"
	"os"
)

// directSupported: O_DIRECT is Linux's; elsewhere DirectIO does nothing.
const directSupported = false

const directMin = 64 << 10

func writeDirect(f *os.File, data []byte) (bool, error) {
	_, err := f.Write(data)
	return false, err
}

// noReplaceSupported: renameat2 is Linux's.
const noReplaceSupported = false

func renameNoReplace(oldpath, newpath string) error {
	return &os.LinkError{Op: "renameat2", Old: oldpath, New: newpath, Err: errors.ErrUnsupported}
}
