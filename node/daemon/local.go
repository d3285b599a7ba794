package daemon

import (
	"crypto/ed25519"
	"fmt"

	"github.com/gogarage/garage/node/host/nodekey"
	"github.com/gogarage/garage/node/rt"
)

// LocalID returns the id of the node whose metadata_dir cfg names, from
// its key file. The key exists once the server has started.
func LocalID(cfg Config) (rt.NodeID, error) {
	key, err := nodekey.Load(cfg.MetadataDir)
	if err != nil {
		return "", fmt.Errorf("read node key in %s (has the server run once? are you the daemon's user?): %w",
			cfg.MetadataDir, err)
	}
	return nodekey.ID(key.Public().(ed25519.PublicKey)), nil
}

// LocalTarget returns "<id>@<rpc_public_addr>" of the node cfg describes:
// what `garage node id` prints and where the CLI connects by default.
func LocalTarget(cfg Config) (string, error) {
	id, err := LocalID(cfg)
	if err != nil {
		return "", err
	}
	return string(id) + "@" + cfg.RPCPublicAddr, nil
}
