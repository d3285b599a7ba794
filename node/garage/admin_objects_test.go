package garage_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/gogarage/garage/experiments/simcluster"
	"github.com/gogarage/garage/node/garage"
	"github.com/gogarage/garage/sim"
)

// TestBucketAndKeyAdmin drives bucket and key management through the
// admin endpoints, as the CLI does, each call through another node.
func TestBucketAndKeyAdmin(t *testing.T) {
	w := sim.New(sim.Config{Seed: 1, Scenario: t.Name()})
	defer w.Close()
	cfg := simcluster.Default()
	cfg.RTT = 10 * time.Millisecond
	c, err := simcluster.Boot(w, cfg)
	if err != nil {
		t.Fatal(err)
	}
	step := 0
	admin := func() *garage.Admin { step++; return c.Admin(step % 5) }
	var key garage.KeyInfoReply
	var info garage.BucketInfoReply
	err = c.Operate(func(ctx context.Context, _ *garage.Admin) error {
		if _, err := admin().BucketCreate(ctx, "website"); err != nil {
			return err
		}
		if key, err = admin().KeyCreate(ctx, "deploy"); err != nil {
			return err
		}
		if _, err := admin().KeyImport(ctx, "GK0123456789abcdef01234567", fmt.Sprintf("%064d", 7), "old"); err != nil {
			return err
		}
		steps := []error{
			admin().BucketAllow(ctx, garage.BucketPermRequest{Bucket: "website", Key: "deploy", Read: true, Write: true}),
			admin().BucketDeny(ctx, garage.BucketPermRequest{Bucket: "website", Key: key.ID, Write: true}),
			admin().BucketAlias(ctx, "website", "www", ""),
			admin().BucketAlias(ctx, "website", "mine", "deploy"),
			admin().BucketUnalias(ctx, "", "website", ""),
			admin().BucketWebsite(ctx, garage.BucketWebsiteRequest{Bucket: "www", Allow: true}),
			admin().BucketSetQuotas(ctx, garage.BucketQuotasRequest{Bucket: "www", MaxObjects: ptr(uint64(5))}),
			admin().KeyAllow(ctx, garage.KeyPermRequest{Key: "deploy", CreateBucket: true}),
			admin().KeyRename(ctx, "GK0123", "older"),
		}
		for i, err := range steps {
			if err != nil {
				return fmt.Errorf("step %d: %w", i, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.RunFor(5 * time.Second); err != nil {
		t.Fatal(err)
	}
	err = c.Operate(func(ctx context.Context, _ *garage.Admin) error {
		var err error
		if info, err = admin().BucketInfo(ctx, "www"); err != nil {
			return err
		}
		k, err := admin().KeyInfo(ctx, "deploy", false)
		if err != nil {
			return err
		}
		if !k.AllowCreateBucket || k.Secret != "" || len(k.Buckets) != 1 || !slices.Equal(k.Buckets[0].LocalAliases, []string{"mine"}) {
			return fmt.Errorf("key info %+v", k)
		}
		keys, err := admin().KeyList(ctx)
		if err != nil || len(keys) != 2 || keys[0].Name != "older" {
			return fmt.Errorf("key list %+v %v", keys, err)
		}
		if err := admin().BucketDelete(ctx, info.ID[:8]); err != nil {
			return err
		}
		if bs, err := admin().BucketList(ctx); err != nil || len(bs) != 0 {
			return fmt.Errorf("bucket list after the delete: %+v %v", bs, err)
		}
		return admin().KeyDelete(ctx, "older")
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(info.Aliases, []string{"www"}) || len(info.LocalAliases) != 1 || !info.Website ||
		info.IndexDocument != "index.html" || info.MaxObjects != 5 || len(info.Keys) != 1 ||
		!info.Keys[0].Read || info.Keys[0].Write || info.Keys[0].Name != "deploy" {
		t.Errorf("bucket info %+v", info)
	}
}

func ptr[T any](v T) *T { return &v }
