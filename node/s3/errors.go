package s3

import (
	"context"
	"errors"

	"github.com/gogarage/garage/node/rt"
	"github.com/gogarage/garage/node/s3/s3err"
)

// toS3 maps any failure of a request to the S3 error a client receives:
// an *s3err.Error keeps its code, a Store sentinel or an RPC failure
// takes its S3 code, anything else is an InternalError. It is the one
// place where failures become S3 codes.
func toS3(err error) *s3err.Error {
	var e *s3err.Error
	if errors.As(err, &e) {
		return e
	}
	for _, m := range errorMap() {
		if errors.Is(err, m.err) {
			return s3err.Wrap(m.code, err)
		}
	}
	return s3err.Wrap(s3err.InternalError, err)
}

// errorMapping maps one sentinel to an S3 code.
type errorMapping struct {
	err  error
	code s3err.Code
}

func errorMap() []errorMapping {
	return []errorMapping{
		{ErrNoSuchAccessKey, s3err.InvalidAccessKeyID},
		{ErrNoSuchBucket, s3err.NoSuchBucket},
		{ErrBucketExists, s3err.BucketAlreadyExists},
		{ErrBucketNotEmpty, s3err.BucketNotEmpty},
		{ErrNoSuchKey, s3err.NoSuchKey},
		{ErrNoSuchUpload, s3err.NoSuchUpload},
		{ErrInvalidPart, s3err.InvalidPart},
		{ErrQuotaExceeded, s3err.QuotaExceeded},
		{ErrPartTooSmall, s3err.EntityTooSmall},
		{ErrChanged, s3err.ServiceUnavailable},
		{ErrUnavailable, s3err.ServiceUnavailable},
		{rt.ErrTimeout, s3err.ServiceUnavailable},
		{rt.ErrUnreachable, s3err.ServiceUnavailable},
		{context.DeadlineExceeded, s3err.RequestTimeout},
		{context.Canceled, s3err.RequestTimeout},
	}
}
