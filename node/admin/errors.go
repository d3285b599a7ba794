package admin

import (
	"errors"
	"net/http"

	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/node/cluster"
	"github.com/gogarage/garage/node/garage"
	"github.com/gogarage/garage/node/object"
	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/node/table"
)

// classify maps an error of the node to an HTTP status and code: the
// operator's mistakes are 400, conflicts 409, missing quorums 503, the
// rest 500. It is the one place these errors meet HTTP.
func classify(err error) *Error {
	e := &Error{Status: http.StatusInternalServerError, Code: "InternalError", Msg: err.Error()}
	switch {
	case isAny(err, garage.ErrNothingStaged, layout.ErrBadRole, layout.ErrBadParams, layout.ErrTooFewNodes,
		layout.ErrTooFewZones, layout.ErrInfeasible, layout.ErrUnknownNode, layout.ErrWrongVersion, cluster.ErrBadPeer,
		garage.ErrBadRequest, garage.ErrAmbiguous, object.ErrAmbiguousKey, object.ErrInvalidName, object.ErrNoBlockStorage):
		e.Status, e.Code = http.StatusBadRequest, "InvalidRequest"
	case isAny(err, object.ErrNoSuchBucket):
		e.Status, e.Code = http.StatusNotFound, "NoSuchBucket"
	case isAny(err, object.ErrNoSuchAccessKey):
		e.Status, e.Code = http.StatusNotFound, "NoSuchAccessKey"
	case isAny(err, garage.ErrUnknownNode):
		e.Status, e.Code = http.StatusNotFound, "NoSuchNode"
	case isAny(err, garage.ErrUnknownWorker):
		e.Status, e.Code = http.StatusNotFound, "NoSuchWorker"
	case isAny(err, object.ErrBucketExists):
		e.Status, e.Code = http.StatusConflict, "BucketAlreadyExists"
	case isAny(err, object.ErrBucketNotEmpty):
		e.Status, e.Code = http.StatusConflict, "BucketNotEmpty"
	case isAny(err, object.ErrKeyExists):
		e.Status, e.Code = http.StatusConflict, "KeyAlreadyExists"
	case isAny(err, layout.ErrConflict, garage.ErrBusy):
		e.Status, e.Code = http.StatusConflict, "Conflict"
	case isAny(err, garage.ErrCannotForget):
		e.Status, e.Code = http.StatusNotImplemented, "NotImplemented"
	case isAny(err, rt.ErrTimeout, rt.ErrUnreachable, table.ErrNoLayout):
		e.Status, e.Code = http.StatusServiceUnavailable, "ServiceUnavailable"
	}
	return e
}

func isAny(err error, targets ...error) bool {
	for _, t := range targets {
		if errors.Is(err, t) {
			return true
		}
	}
	return false
}
