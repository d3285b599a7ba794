package host

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"unsafe"

	"golang.org/x/sys/unix"
)

// directSupported: this platform has O_DIRECT.
const directSupported = true

// Direct writes go in chunks of directChunk bytes from buffers aligned on
// directAlign, the largest logical block size of common devices; a file
// shorter than directMin is written through the page cache.
const (
	directAlign = 4096
	directChunk = 1 << 20
	directMin   = 64 << 10
)

// directBufs holds aligned buffers of directChunk bytes.
var directBufs = sync.Pool{New: func() any {
	b := make([]byte, directChunk+directAlign)
	off := directAlign - int(uintptr(unsafe.Pointer(&b[0]))%directAlign)
	b = b[off%directAlign:][:directChunk]
	return &b
}}

// writeDirect writes data to the new, empty file f: its directAlign-aligned
// head with O_DIRECT (from data itself when it starts on an aligned
// address, as Go's large allocations do; through an aligned buffer
// otherwise), and the rest through the page cache. ok is false when the
// file system refused O_DIRECT: data is then written through the page
// cache here, and the caller stops asking for direct writes.
func writeDirect(f *os.File, data []byte) (ok bool, err error) {
	if !setDirect(f, true) {
		_, err = f.Write(data)
		return false, err
	}
	head := len(data) &^ (directAlign - 1)
	var bp *[]byte
	if uintptr(unsafe.Pointer(&data[0]))%directAlign != 0 {
		bp = directBufs.Get().(*[]byte)
		defer directBufs.Put(bp)
	}
	for off := 0; off < head; {
		chunk := data[off:head]
		if bp != nil {
			chunk = (*bp)[:copy((*bp)[:min(directChunk, head-off)], chunk)]
		}
		n := len(chunk)
		if _, err := f.Write(chunk); err != nil {
			if errors.Is(err, unix.EINVAL) && setDirect(f, false) {
				// A device with larger blocks than directAlign.
				_, err = f.Write(data[off:])
				return false, err
			}
			return true, err
		}
		off += n
	}
	if head < len(data) {
		if !setDirect(f, false) {
			return true, &os.PathError{Op: "fcntl", Path: f.Name(), Err: unix.EINVAL}
		}
		_, err = f.Write(data[head:])
	}
	return true, err
}

// setDirect turns O_DIRECT on or off for f; false if the file system
// refuses.
func setDirect(f *os.File, on bool) bool {
	raw, err := f.SyscallConn()
	if err != nil {
		return false
	}
	ok := false
	_ = raw.Control(func(fd uintptr) {
		fl, err := unix.FcntlInt(fd, unix.F_GETFL, 0)
		if err != nil {
			return
		}
		if on {
			fl |= unix.O_DIRECT
		} else {
			fl &^= unix.O_DIRECT
		}
		_, err = unix.FcntlInt(fd, unix.F_SETFL, fl)
		ok = err == nil
	})
	return ok
}

// noReplaceSupported: this platform has renameat2's RENAME_NOREPLACE.
const noReplaceSupported = true

// renameNoReplace renames oldpath to newpath unless newpath exists (an
// error wrapping fs.ErrExist then); an error wrapping
// errors.ErrUnsupported if the file system has no such rename.
func renameNoReplace(oldpath, newpath string) error {
	err := unix.Renameat2(unix.AT_FDCWD, oldpath, unix.AT_FDCWD, newpath, unix.RENAME_NOREPLACE)
	if errors.Is(err, unix.EINVAL) { // the flag is refused
		err = fmt.Errorf("%w (%w)", errors.ErrUnsupported, err)
	}
	if err != nil {
		return &os.LinkError{Op: "renameat2", Old: oldpath, New: newpath, Err: err}
	}
	return nil
}
