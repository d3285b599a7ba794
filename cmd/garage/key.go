package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/gogarage/garage/node/daemon"
	"github.com/gogarage/garage/node/garage"
)

const keyNames = `An access key is named by its id (GK...), a prefix of its id that no other
key's id starts with, or its name if no other key has it.`

func (c *cli) keyCmd() *command {
	return &command{name: "key", summary: "access keys: create, list, import, rename, delete, permissions", sub: []*command{
		c.rpcLeaf(&command{name: "key list", summary: "list the access keys",
			usage: "key list [--json]", example: "key list"}, 0, 0, c.keyList),
		c.rpcLeaf(&command{name: "key info", summary: "show an access key and its buckets",
			usage: "key info <key> [--show-secret] [--json]", example: "key info deploy\nkey info GK3f1a --show-secret",
			more: keyNames}, 1, 1, c.keyInfo),
		c.rpcLeaf(&command{name: "key create", summary: "create an access key, and print its secret",
			usage: "key create [<name>] [--json]", example: "key create deploy"}, 0, 1, c.keyCreate),
		c.rpcLeaf(&command{name: "key import", summary: "import an access key made elsewhere (another Garage)",
			usage:   "key import <key id> <secret key> [-n <name>]",
			example: "key import GK31c2f218a2e44f485b94239e 3b2c1e...e0 -n deploy",
			more:    "The id is GK and 24 hexadecimal characters, the secret 64. An id that was ever used cannot be imported."},
			2, 2, c.keyImport),
		c.rpcLeaf(&command{name: "key rename", summary: "rename an access key",
			usage: "key rename <key> <new name>", example: "key rename GK3f1a deploy-ci", more: keyNames}, 2, 2, c.keyRename),
		c.rpcLeaf(&command{name: "key delete", summary: "delete an access key and its permissions",
			usage: "key delete <key> --yes", example: "key delete deploy --yes",
			more: "Without --yes nothing is deleted. " + keyNames}, 1, 1, c.keyDelete),
		c.keyPermCmd("allow"),
		c.keyPermCmd("deny"),
	}}
}

func (c *cli) keyList(fs *flag.FlagSet) clientRun {
	asJSON := jsonFlag(fs)
	return func(ctx context.Context, cl *daemon.Client, _ []string) error {
		ks, err := cl.KeyList(ctx)
		if err != nil {
			return err
		}
		return c.show(*asJSON, ks, func(w io.Writer) { renderKeyList(w, ks) })
	}
}

func (c *cli) keyInfo(fs *flag.FlagSet) clientRun {
	asJSON := jsonFlag(fs)
	secret := fs.Bool("show-secret", false, "print the secret key")
	return func(ctx context.Context, cl *daemon.Client, pos []string) error {
		k, err := cl.KeyInfo(ctx, pos[0], *secret)
		if err != nil {
			return err
		}
		return c.show(*asJSON, k, func(w io.Writer) { renderKeyInfo(w, k) })
	}
}

func (c *cli) keyCreate(fs *flag.FlagSet) clientRun {
	asJSON := jsonFlag(fs)
	return func(ctx context.Context, cl *daemon.Client, pos []string) error {
		name := ""
		if len(pos) > 0 {
			name = pos[0]
		}
		k, err := cl.KeyCreate(ctx, name)
		if err != nil {
			return err
		}
		return c.show(*asJSON, k, func(w io.Writer) { renderKeyInfo(w, k) })
	}
}

func (c *cli) keyImport(fs *flag.FlagSet) clientRun {
	var name string
	stringFlag(fs, &name, "", "`name` of the key", "n", "name")
	return func(ctx context.Context, cl *daemon.Client, pos []string) error {
		k, err := cl.KeyImport(ctx, pos[0], pos[1], name)
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "Access key %s imported.\n", k.ID)
		return nil
	}
}

func (c *cli) keyRename(*flag.FlagSet) clientRun {
	return func(ctx context.Context, cl *daemon.Client, pos []string) error {
		k, err := cl.KeyInfo(ctx, pos[0], false)
		if err != nil {
			return err
		}
		if err := cl.KeyRename(ctx, k.ID, pos[1]); err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "Access key %s renamed from %s to %s.\n", k.ID, orDash(k.Name), pos[1])
		return nil
	}
}

func (c *cli) keyDelete(fs *flag.FlagSet) clientRun {
	yes := fs.Bool("yes", false, "confirm the deletion")
	return func(ctx context.Context, cl *daemon.Client, pos []string) error {
		k, err := cl.KeyInfo(ctx, pos[0], false)
		if err != nil {
			return err
		}
		if !*yes {
			return fmt.Errorf("key delete would delete access key %s (%s, permissions on %d buckets): add --yes to confirm; nothing was deleted",
				k.ID, orDash(k.Name), len(k.Buckets))
		}
		if err := cl.KeyDelete(ctx, k.ID); err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "Access key %s deleted.\n", k.ID)
		return nil
	}
}

// keyPermCmd is `key allow` or `key deny`.
func (c *cli) keyPermCmd(verb string) *command {
	summary := map[string]string{"allow": "let an access key create buckets", "deny": "stop an access key from creating buckets"}[verb]
	cmd := &command{name: "key " + verb, summary: summary, usage: "key " + verb + " --create-bucket <key>",
		example: "key " + verb + " --create-bucket deploy", more: keyNames}
	return c.rpcLeaf(cmd, 1, 1, func(fs *flag.FlagSet) clientRun {
		var req garage.KeyPermRequest
		fs.BoolVar(&req.CreateBucket, "create-bucket", false, "the permission to create buckets")
		return func(ctx context.Context, cl *daemon.Client, pos []string) error {
			if !req.CreateBucket {
				return c.usage(cmd, errors.New("name the permission: --create-bucket"))
			}
			req.Key = pos[0]
			set := cl.KeyAllow
			if verb == "deny" {
				set = cl.KeyDeny
			}
			if err := set(ctx, req); err != nil {
				return err
			}
			fmt.Fprintf(c.stdout, "Access key %s %s create buckets.\n", pos[0], map[string]string{"allow": "may now", "deny": "may no longer"}[verb])
			return nil
		}
	})
}
