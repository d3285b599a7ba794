package s3err

// DefaultMessage returns the message S3 sends with code when nothing more
// specific is known, or "" for a code outside the vocabulary.
func (c Code) DefaultMessage() string {
	if m := authMessage(c); m != "" {
		return m
	}
	if m := notFoundMessage(c); m != "" {
		return m
	}
	if m := conflictMessage(c); m != "" {
		return m
	}
	if m := bodyMessage(c); m != "" {
		return m
	}
	return requestMessage(c)
}

// authMessage covers authentication and authorization failures.
func authMessage(c Code) string {
	switch c {
	case AccessDenied:
		return "Access Denied"
	case AuthorizationHeaderMalformed:
		return "The authorization header is malformed."
	case AuthorizationQueryParamsError:
		return "The authorization query parameters are malformed."
	case InvalidAccessKeyID:
		return "The AWS access key ID you provided does not exist in our records."
	case SignatureDoesNotMatch:
		return "The request signature we calculated does not match the signature you provided. Check your key and signing method."
	case RequestTimeTooSkewed:
		return "The difference between the request time and the server's time is too large."
	case QuotaExceeded:
		return "The bucket quota is exceeded."
	}
	return ""
}

// notFoundMessage covers the NoSuch* codes.
func notFoundMessage(c Code) string {
	switch c {
	case NoSuchBucket:
		return "The specified bucket does not exist."
	case NoSuchKey:
		return "The specified key does not exist."
	case NoSuchUpload:
		return "The specified multipart upload does not exist. The upload ID might be invalid, or the multipart upload might have been aborted or completed."
	case NoSuchVersion:
		return "The specified version does not exist."
	case NoSuchBucketPolicy:
		return "The bucket policy does not exist."
	case NoSuchCORSConfiguration:
		return "The CORS configuration does not exist."
	case NoSuchWebsiteConfiguration:
		return "The specified bucket does not have a website configuration."
	case NoSuchLifecycleConfiguration:
		return "The lifecycle configuration does not exist."
	case ServerSideEncryptionUnsupported:
		return "The server side encryption configuration was not found."
	}
	return ""
}

// conflictMessage covers state conflicts and preconditions.
func conflictMessage(c Code) string {
	switch c {
	case BucketAlreadyExists:
		return "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Select a different name and try again."
	case BucketAlreadyOwnedByYou:
		return "The bucket you tried to create already exists, and you own it."
	case BucketNotEmpty:
		return "The bucket you tried to delete is not empty."
	case InvalidBucketState:
		return "The request is not valid with the current state of the bucket."
	case OperationAborted:
		return "A conflicting conditional operation is currently in progress against this resource. Try again."
	case PreconditionFailed:
		return "At least one of the preconditions you specified did not hold."
	case NotModified:
		return "Not Modified"
	case InvalidObjectState:
		return "The operation is not valid for the current state of the object."
	}
	return ""
}

// bodyMessage covers failures of the request body: digests, sizes, XML.
func bodyMessage(c Code) string {
	switch c {
	case BadDigest:
		return "The Content-MD5 or checksum value you specified did not match what we received."
	case InvalidDigest:
		return "The Content-MD5 or checksum value you specified is not valid."
	case XAmzContentSHA256Mismatch:
		return "The provided 'x-amz-content-sha256' header does not match what was computed."
	case EntityTooLarge:
		return "Your proposed upload exceeds the maximum allowed object size."
	case EntityTooSmall:
		return "Your proposed upload is smaller than the minimum allowed object size."
	case IncompleteBody:
		return "You did not provide the number of bytes specified by the Content-Length HTTP header."
	case MalformedXML:
		return "The XML you provided was not well-formed or did not validate against our published schema."
	case MalformedTrailerError:
		return "The request contained trailing data that was not well-formed or did not conform to our published schema."
	case MalformedPOSTRequest:
		return "The body of your POST request is not well-formed multipart/form-data."
	case MaxMessageLengthExceeded:
		return "Your request was too big."
	case MetadataTooLarge:
		return "Your metadata headers exceed the maximum allowed metadata size."
	case MissingContentLength:
		return "You must provide the Content-Length HTTP header."
	case MissingRequestBodyError:
		return "Request Body is empty."
	case UnexpectedContent:
		return "This request does not support content."
	}
	return ""
}

// requestMessage covers the remaining request and server errors.
func requestMessage(c Code) string {
	switch c {
	case InternalError:
		return "We encountered an internal error. Please try again."
	case InvalidArgument:
		return "Invalid Argument"
	case InvalidBucketName:
		return "The specified bucket is not valid."
	case InvalidEncryptionAlgorithm:
		return "The encryption request you specified is not valid. The valid value is AES256."
	case InvalidLocationConstraint:
		return "The specified location constraint is not valid."
	case InvalidPart:
		return "One or more of the specified parts could not be found. The part might not have been uploaded, or the specified entity tag might not have matched the part's entity tag."
	case InvalidPartNumber:
		return "The requested partnumber is not satisfiable."
	case InvalidPartOrder:
		return "The list of parts was not in ascending order. The parts list must be specified in order by part number."
	case InvalidPolicyDocument:
		return "The content of the form does not meet the conditions specified in the policy document."
	case InvalidRange:
		return "The requested range is not satisfiable."
	case InvalidRequest:
		return "Invalid Request"
	case InvalidStorageClass:
		return "The storage class you specified is not valid."
	case InvalidURI:
		return "Couldn't parse the specified URI."
	case KeyTooLongError:
		return "Your key is too long."
	case MethodNotAllowed:
		return "The specified method is not allowed against this resource."
	case NotImplemented:
		return "A header or query you provided implies functionality that is not implemented."
	case RequestTimeout:
		return "Your socket connection to the server was not read from or written to within the timeout period."
	case ServiceUnavailable:
		return "Service is unable to handle request."
	case SlowDown:
		return "Please reduce your request rate."
	case TooManyBuckets:
		return "You have attempted to create more buckets than allowed."
	case IllegalVersioningConfiguration:
		return "The versioning configuration specified in the request is invalid."
	}
	return ""
}
