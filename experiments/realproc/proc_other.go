//go:build !linux

package realproc

import (
	"os"
	"syscall"
)

// procAttr is the default elsewhere: no process group of its own.
func procAttr() *syscall.SysProcAttr { return nil }

// killGroup kills p.
func killGroup(p *os.Process) { p.Kill() }

// detachedAttr is the default elsewhere.
func detachedAttr() *syscall.SysProcAttr { return nil }
