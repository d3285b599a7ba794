package s3err

// Code is an S3 error code, the string clients switch on.
type Code string

// The S3 error codes this implementation returns. Status gives each one's
// HTTP status and DefaultMessage its message when none is given.
const (
	AccessDenied                    Code = "AccessDenied"
	AuthorizationHeaderMalformed    Code = "AuthorizationHeaderMalformed"
	AuthorizationQueryParamsError   Code = "AuthorizationQueryParametersError"
	BadDigest                       Code = "BadDigest"
	BucketAlreadyExists             Code = "BucketAlreadyExists"
	BucketAlreadyOwnedByYou         Code = "BucketAlreadyOwnedByYou"
	BucketNotEmpty                  Code = "BucketNotEmpty"
	EntityTooLarge                  Code = "EntityTooLarge"
	EntityTooSmall                  Code = "EntityTooSmall"
	IncompleteBody                  Code = "IncompleteBody"
	InternalError                   Code = "InternalError"
	InvalidAccessKeyID              Code = "InvalidAccessKeyId"
	InvalidArgument                 Code = "InvalidArgument"
	InvalidBucketName               Code = "InvalidBucketName"
	InvalidBucketState              Code = "InvalidBucketState"
	InvalidDigest                   Code = "InvalidDigest"
	InvalidEncryptionAlgorithm      Code = "InvalidEncryptionAlgorithmError"
	InvalidLocationConstraint       Code = "InvalidLocationConstraint"
	InvalidPart                     Code = "InvalidPart"
	InvalidPartNumber               Code = "InvalidPartNumber"
	InvalidPartOrder                Code = "InvalidPartOrder"
	InvalidPolicyDocument           Code = "InvalidPolicyDocument"
	InvalidRange                    Code = "InvalidRange"
	InvalidRequest                  Code = "InvalidRequest"
	InvalidStorageClass             Code = "InvalidStorageClass"
	InvalidURI                      Code = "InvalidURI"
	KeyTooLongError                 Code = "KeyTooLongError"
	MalformedPOSTRequest            Code = "MalformedPOSTRequest"
	MalformedTrailerError           Code = "MalformedTrailerError"
	MalformedXML                    Code = "MalformedXML"
	MaxMessageLengthExceeded        Code = "MaxMessageLengthExceeded"
	MetadataTooLarge                Code = "MetadataTooLarge"
	MethodNotAllowed                Code = "MethodNotAllowed"
	MissingContentLength            Code = "MissingContentLength"
	MissingRequestBodyError         Code = "MissingRequestBodyError"
	NoSuchBucket                    Code = "NoSuchBucket"
	NoSuchBucketPolicy              Code = "NoSuchBucketPolicy"
	NoSuchCORSConfiguration         Code = "NoSuchCORSConfiguration"
	NoSuchKey                       Code = "NoSuchKey"
	NoSuchLifecycleConfiguration    Code = "NoSuchLifecycleConfiguration"
	NoSuchUpload                    Code = "NoSuchUpload"
	NoSuchVersion                   Code = "NoSuchVersion"
	NoSuchWebsiteConfiguration      Code = "NoSuchWebsiteConfiguration"
	NotImplemented                  Code = "NotImplemented"
	NotModified                     Code = "NotModified"
	OperationAborted                Code = "OperationAborted"
	PreconditionFailed              Code = "PreconditionFailed"
	QuotaExceeded                   Code = "QuotaExceeded"
	RequestTimeTooSkewed            Code = "RequestTimeTooSkewed"
	RequestTimeout                  Code = "RequestTimeout"
	ServiceUnavailable              Code = "ServiceUnavailable"
	SignatureDoesNotMatch           Code = "SignatureDoesNotMatch"
	SlowDown                        Code = "SlowDown"
	TooManyBuckets                  Code = "TooManyBuckets"
	UnexpectedContent               Code = "UnexpectedContent"
	XAmzContentSHA256Mismatch       Code = "XAmzContentSHA256Mismatch"
	IllegalVersioningConfiguration  Code = "IllegalVersioningConfigurationException"
	InvalidObjectState              Code = "InvalidObjectState"
	ServerSideEncryptionUnsupported Code = "ServerSideEncryptionConfigurationNotFoundError"
)

// Codes returns every code of the vocabulary, in declaration order.
func Codes() []Code {
	return []Code{
		AccessDenied, AuthorizationHeaderMalformed, AuthorizationQueryParamsError, BadDigest,
		BucketAlreadyExists, BucketAlreadyOwnedByYou, BucketNotEmpty, EntityTooLarge, EntityTooSmall,
		IncompleteBody, InternalError, InvalidAccessKeyID, InvalidArgument, InvalidBucketName,
		InvalidBucketState, InvalidDigest, InvalidEncryptionAlgorithm, InvalidLocationConstraint,
		InvalidPart, InvalidPartNumber, InvalidPartOrder, InvalidPolicyDocument, InvalidRange,
		InvalidRequest, InvalidStorageClass, InvalidURI, KeyTooLongError, MalformedPOSTRequest,
		MalformedTrailerError, MalformedXML, MaxMessageLengthExceeded, MetadataTooLarge,
		MethodNotAllowed, MissingContentLength, MissingRequestBodyError, NoSuchBucket,
		NoSuchBucketPolicy, NoSuchCORSConfiguration, NoSuchKey, NoSuchLifecycleConfiguration,
		NoSuchUpload, NoSuchVersion, NoSuchWebsiteConfiguration, NotImplemented, NotModified,
		OperationAborted, PreconditionFailed, QuotaExceeded, RequestTimeTooSkewed, RequestTimeout,
		ServiceUnavailable, SignatureDoesNotMatch, SlowDown, TooManyBuckets, UnexpectedContent,
		XAmzContentSHA256Mismatch, IllegalVersioningConfiguration, InvalidObjectState,
		ServerSideEncryptionUnsupported,
	}
}

// Status returns the HTTP status S3 sends with code; unknown codes are
// server errors (500).
func (c Code) Status() int {
	switch c {
	case NotModified:
		return 304
	case AccessDenied, InvalidAccessKeyID, SignatureDoesNotMatch, RequestTimeTooSkewed,
		QuotaExceeded, InvalidObjectState:
		return 403
	case NoSuchBucket, NoSuchKey, NoSuchUpload, NoSuchVersion, NoSuchBucketPolicy,
		NoSuchCORSConfiguration, NoSuchWebsiteConfiguration, NoSuchLifecycleConfiguration,
		ServerSideEncryptionUnsupported:
		return 404
	case MethodNotAllowed:
		return 405
	case BucketAlreadyExists, BucketAlreadyOwnedByYou, BucketNotEmpty, InvalidBucketState,
		OperationAborted:
		return 409
	case MissingContentLength:
		return 411
	case PreconditionFailed:
		return 412
	case InvalidRange, InvalidPartNumber:
		return 416
	case NotImplemented:
		return 501
	case ServiceUnavailable, SlowDown:
		return 503
	case InternalError:
		return 500
	}
	return c.clientStatus()
}

// clientStatus returns 400 for the remaining client errors and 500 for
// codes outside the vocabulary.
func (c Code) clientStatus() int {
	if c.DefaultMessage() == "" {
		return 500
	}
	return 400
}
