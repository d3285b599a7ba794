// Package s3client is the S3 client of the experiments and of the
// simulator's workloads. It signs every request with SigV4
// (aws-sdk-go-v2's signer) and sends it through a Doer: over HTTP to a
// real endpoint, or, in the simulator, straight into a node's S3 handler
// from the client's own task, through a recorder, so that request parsing
// and signature checks run in both worlds.
//
// Its operations are the few the workloads and experiments need (bucket
// and object listings, objects, multipart uploads). Objects and Set adapt
// it to the workload interfaces (a key per register, a prefix per set);
// the experiments' endpoint.S3 wraps it for the measured endpoints.
package s3client
