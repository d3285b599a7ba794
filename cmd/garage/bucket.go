package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/gogarage/garage/layout"
	"github.com/gogarage/garage/node/daemon"
	"github.com/gogarage/garage/node/garage"
)

const bucketNames = `A bucket is named by a global alias, its id, or a prefix of its id that
no other bucket's id starts with.`

func (c *cli) bucketCmd() *command {
	return &command{name: "bucket", summary: "buckets: create, list, delete, aliases, permissions, website, quotas", sub: []*command{
		c.rpcLeaf(&command{name: "bucket list", summary: "list the buckets",
			usage: "bucket list [--json]", example: "bucket list"}, 0, 0, c.bucketList),
		c.rpcLeaf(&command{name: "bucket info", summary: "show a bucket: size, objects, website, quotas, aliases, keys",
			usage: "bucket info <bucket> [--json]", example: "bucket info photos", more: bucketNames}, 1, 1, c.bucketInfo),
		c.rpcLeaf(&command{name: "bucket create", summary: "create a bucket with a global name",
			usage: "bucket create <name>", example: "bucket create photos",
			more: "Names follow S3's rules: 3 to 63 lowercase letters, digits, dots and hyphens."}, 1, 1, c.bucketCreate),
		c.rpcLeaf(&command{name: "bucket delete", summary: "delete an empty bucket",
			usage: "bucket delete <bucket> --yes", example: "bucket delete photos --yes",
			more: "The bucket must hold no object nor unfinished upload. Without --yes nothing is deleted.\n" + bucketNames},
			1, 1, c.bucketDelete),
		c.rpcLeaf(&command{name: "bucket alias", summary: "give a bucket another name, global or in one key's namespace",
			usage: "bucket alias <bucket> <new name> [--local <key>]", example: "bucket alias photos pictures\nbucket alias photos mine --local deploy",
			more: bucketNames}, 2, 2, c.bucketAlias),
		c.rpcLeaf(&command{name: "bucket unalias", summary: "remove a name of a bucket, global or in one key's namespace",
			usage: "bucket unalias <name> [--local <key>]", example: "bucket unalias pictures",
			more: "A bucket keeps at least one name: remove its last global alias only if it has a local one."}, 1, 1, c.bucketUnalias),
		c.bucketPermCmd("allow"),
		c.bucketPermCmd("deny"),
		c.rpcLeaf(&command{name: "bucket website", summary: "serve a bucket as a static website, or stop",
			usage:   "bucket website (--allow | --deny) <bucket> [-i <index document>] [-e <error document>]",
			example: "bucket website --allow photos\nbucket website --allow www -i index.html -e 404.html"}, 1, 1, c.bucketWebsite),
		c.rpcLeaf(&command{name: "bucket set-quotas", summary: "set or remove a bucket's size and object quotas",
			usage:   "bucket set-quotas <bucket> [--max-size <size> | none] [--max-objects <n> | none]",
			example: "bucket set-quotas photos --max-size 10G --max-objects 100000\nbucket set-quotas photos --max-size none",
			more:    "Sizes take a unit (10G is 10^10 bytes, 1Ti 2^40); none removes a quota. What is not given is left as it is."},
			1, 1, c.bucketQuotas),
	}}
}

func (c *cli) bucketList(fs *flag.FlagSet) clientRun {
	asJSON := jsonFlag(fs)
	return func(ctx context.Context, cl *daemon.Client, _ []string) error {
		bs, err := cl.BucketList(ctx)
		if err != nil {
			return err
		}
		return c.show(*asJSON, bs, func(w io.Writer) { renderBucketList(w, bs) })
	}
}

func (c *cli) bucketInfo(fs *flag.FlagSet) clientRun {
	asJSON := jsonFlag(fs)
	return func(ctx context.Context, cl *daemon.Client, pos []string) error {
		b, err := cl.BucketInfo(ctx, pos[0])
		if err != nil {
			return err
		}
		return c.show(*asJSON, b, func(w io.Writer) { renderBucketInfo(w, b) })
	}
}

func (c *cli) bucketCreate(*flag.FlagSet) clientRun {
	return func(ctx context.Context, cl *daemon.Client, pos []string) error {
		b, err := cl.BucketCreate(ctx, pos[0])
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "Bucket %s created, id %s.\n", pos[0], b.ID)
		return nil
	}
}

func (c *cli) bucketDelete(fs *flag.FlagSet) clientRun {
	yes := fs.Bool("yes", false, "confirm the deletion")
	return func(ctx context.Context, cl *daemon.Client, pos []string) error {
		b, err := cl.BucketInfo(ctx, pos[0])
		if err != nil {
			return err
		}
		if !*yes {
			return fmt.Errorf("bucket delete would delete bucket %s (%s, %d objects): add --yes to confirm; nothing was deleted",
				b.ID, orDash(strings.Join(b.Aliases, ", ")), b.Objects)
		}
		if err := cl.BucketDelete(ctx, b.ID); err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "Bucket %s deleted.\n", b.ID)
		return nil
	}
}

func (c *cli) bucketAlias(fs *flag.FlagSet) clientRun {
	var local string
	fs.StringVar(&local, "local", "", "access `key` in whose namespace the name goes (default: a global name)")
	return func(ctx context.Context, cl *daemon.Client, pos []string) error {
		if err := cl.BucketAlias(ctx, pos[0], pos[1], local); err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "Bucket %s now also answers to %s%s.\n", pos[0], pos[1], scope(local))
		return nil
	}
}

func scope(key string) string {
	if key == "" {
		return " (global)"
	}
	return " for key " + key
}

func (c *cli) bucketUnalias(fs *flag.FlagSet) clientRun {
	var local string
	fs.StringVar(&local, "local", "", "access `key` in whose namespace the name is (default: a global name)")
	return func(ctx context.Context, cl *daemon.Client, pos []string) error {
		if err := cl.BucketUnalias(ctx, "", pos[0], local); err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "Name %s%s removed.\n", pos[0], scope(local))
		return nil
	}
}

// bucketPermCmd is `bucket allow` or `bucket deny`.
func (c *cli) bucketPermCmd(verb string) *command {
	summary := map[string]string{"allow": "grant an access key permissions on a bucket",
		"deny": "revoke an access key's permissions on a bucket"}[verb]
	cmd := &command{name: "bucket " + verb, summary: summary,
		usage:   "bucket " + verb + " [--read] [--write] [--owner] <bucket> --key <key>",
		example: "bucket " + verb + " --read --write photos --key deploy",
		more:    "Keys are named by id, unique id prefix or unique name. " + bucketNames}
	return c.rpcLeaf(cmd, 1, 1, func(fs *flag.FlagSet) clientRun {
		var req garage.BucketPermRequest
		fs.BoolVar(&req.Read, "read", false, "the read permission")
		fs.BoolVar(&req.Write, "write", false, "the write permission")
		fs.BoolVar(&req.Owner, "owner", false, "the owner permission (bucket configuration, deletion)")
		fs.StringVar(&req.Key, "key", "", "the access `key`")
		return func(ctx context.Context, cl *daemon.Client, pos []string) error {
			req.Bucket = pos[0]
			if err := checkPerm(req); err != nil {
				return c.usage(cmd, err)
			}
			set := cl.BucketAllow
			if verb == "deny" {
				set = cl.BucketDeny
			}
			if err := set(ctx, req); err != nil {
				return err
			}
			fmt.Fprintf(c.stdout, "%s %s on bucket %s for key %s.\n", map[string]string{"allow": "Granted", "deny": "Revoked"}[verb],
				permWords(req), req.Bucket, req.Key)
			return nil
		}
	})
}

func checkPerm(req garage.BucketPermRequest) error {
	if req.Key == "" {
		return errors.New("--key is required: the access key whose permissions change")
	}
	if !req.Read && !req.Write && !req.Owner {
		return errors.New("name at least one permission: --read, --write or --owner")
	}
	return nil
}

func permWords(req garage.BucketPermRequest) string {
	var s []string
	for i, on := range []bool{req.Read, req.Write, req.Owner} {
		if on {
			s = append(s, []string{"read", "write", "owner"}[i])
		}
	}
	return strings.Join(s, ", ")
}

func (c *cli) bucketWebsite(fs *flag.FlagSet) clientRun {
	var allow, deny bool
	var req garage.BucketWebsiteRequest
	fs.BoolVar(&allow, "allow", false, "serve the bucket as a website")
	fs.BoolVar(&deny, "deny", false, "stop serving it")
	stringFlag(fs, &req.IndexDocument, "index.html", "`document` served for a directory", "i", "index-document")
	stringFlag(fs, &req.ErrorDocument, "", "`document` served on errors", "e", "error-document")
	return func(ctx context.Context, cl *daemon.Client, pos []string) error {
		if allow == deny {
			return c.usage(c.root().find("bucket").find("website"), errors.New("give exactly one of --allow and --deny"))
		}
		req.Bucket, req.Allow = pos[0], allow
		if err := cl.BucketWebsite(ctx, req); err != nil {
			return err
		}
		if allow {
			fmt.Fprintf(c.stdout, "Website access allowed for bucket %s (index document %s).\n", pos[0], req.IndexDocument)
		} else {
			fmt.Fprintf(c.stdout, "Website access denied for bucket %s.\n", pos[0])
		}
		return nil
	}
}

func (c *cli) bucketQuotas(fs *flag.FlagSet) clientRun {
	var size, objects string
	fs.StringVar(&size, "max-size", "", "largest total `size` of the objects, with a unit, or none")
	fs.StringVar(&objects, "max-objects", "", "largest `number` of objects, or none")
	return func(ctx context.Context, cl *daemon.Client, pos []string) error {
		req, err := quotaRequest(pos[0], size, objects)
		if err != nil {
			return c.usage(c.root().find("bucket").find("set-quotas"), err)
		}
		if err := cl.BucketSetQuotas(ctx, req); err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "Quotas of bucket %s set.\n", pos[0])
		return nil
	}
}

// quotaRequest parses the quota flags: a value, none (0: no quota) or
// nothing (left as it is).
func quotaRequest(bucket, size, objects string) (garage.BucketQuotasRequest, error) {
	req := garage.BucketQuotasRequest{Bucket: bucket}
	if size == "" && objects == "" {
		return req, errors.New("give --max-size, --max-objects or both")
	}
	parse := func(s string, fn func(string) (uint64, error)) (*uint64, error) {
		if s == "" {
			return nil, nil
		}
		if s == "none" {
			return new(uint64), nil
		}
		v, err := fn(s)
		return &v, err
	}
	var err error
	if req.MaxSize, err = parse(size, func(s string) (uint64, error) {
		n, err := layout.ParseBytes(s)
		if err != nil || n < 1 {
			return 0, fmt.Errorf("--max-size %q: want a size with a unit (10G) or none", s)
		}
		return uint64(n), nil
	}); err != nil {
		return req, err
	}
	req.MaxObjects, err = parse(objects, func(s string) (uint64, error) {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil || n < 1 {
			return 0, fmt.Errorf("--max-objects %q: want a positive integer or none", s)
		}
		return n, nil
	})
	return req, err
}
