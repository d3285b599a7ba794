package garage

import (
	"errors"
	"fmt"
)

// Errors of the admin operations an operator can act on. The admin HTTP
// API maps them (with node/object's) to statuses; over RPC their messages
// travel.
var (
	// ErrUnknownNode: no known node has that id or id prefix.
	ErrUnknownNode = errors.New("no known node has that id")
	// ErrAmbiguous: a prefix or name matches several things; the message
	// lists them.
	ErrAmbiguous = errors.New("ambiguous: it matches several")
	// ErrUnknownWorker: no worker of the node has that id or name.
	ErrUnknownWorker = errors.New("no such worker")
	// ErrBadRequest: a request the operation cannot take (an unknown
	// repair, a malformed hash, a bad value); the message says why.
	ErrBadRequest = errors.New("bad request")
	// ErrBusy: the repair asked for already runs on the node.
	ErrBusy = errors.New("already running")
)

// requestError is an ErrBadRequest whose message is its own.
type requestError struct{ msg string }

func (e *requestError) Error() string { return e.msg }
func (e *requestError) Unwrap() error { return ErrBadRequest }

// badRequest returns an error wrapping ErrBadRequest with the message
// format makes (%v, not %w, for causes).
func badRequest(format string, args ...any) error {
	return &requestError{msg: fmt.Sprintf(format, args...)}
}
