package main

import (
	"context"
	"time"

	"github.com/gogarage/garage/node/daemon"
)

// commandTimeout bounds every admin command.
const commandTimeout = 60 * time.Second

// overrides returns the secret given by flag, else by environment.
func (c *cli) overrides() daemon.Overrides {
	flags := daemon.Overrides{RPCSecret: c.secret, RPCSecretFile: c.secretFile}
	return flags.Merge(daemon.EnvOverrides(c.getenv))
}

// config loads the configuration file with the command line's overrides.
func (c *cli) config() (daemon.Config, error) {
	return daemon.Load(c.configPath, c.overrides())
}

// client connects to the daemon named by -h, or else to the local one of
// the configuration file. With -h and a secret by flag or environment, no
// configuration file is needed.
func (c *cli) client() (*daemon.Client, error) {
	ov := c.overrides()
	if c.rpcHost != "" && (ov.RPCSecret != "" || ov.RPCSecretFile != "") {
		secret, err := daemon.SecretFrom(ov)
		if err != nil {
			return nil, err
		}
		return daemon.Dial(c.rpcHost, secret)
	}
	cfg, err := c.config()
	if err != nil {
		return nil, err
	}
	target := c.rpcHost
	if target == "" {
		if target, err = daemon.LocalTarget(cfg); err != nil {
			return nil, err
		}
	}
	return daemon.Dial(target, cfg.Secret)
}

// withClient runs fn with a client and a context bounded by commandTimeout.
func (c *cli) withClient(fn func(ctx context.Context, cl *daemon.Client) error) error {
	cl, err := c.client()
	if err != nil {
		return err
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), commandTimeout)
	defer cancel()
	return fn(ctx, cl)
}
