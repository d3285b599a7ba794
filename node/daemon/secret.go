package daemon

import (
	"os"
	"strconv"
	"strings"

	"github.com/gogarage/garage/node/host/secconn"
)

// secretSource is where a secret comes from: a literal or a file, and the
// name the operator knows it by.
type secretSource struct {
	key, value string
	file       bool
}

// checkSecret finds the rpc_secret (Garage's precedence: a file given by
// flag or environment, then a value given so, then the configuration,
// where rpc_secret and rpc_secret_file exclude each other) and decodes it.
func (c *Config) checkSecret(ov Overrides) error {
	if err := c.checkAllowWorldReadable(ov); err != nil {
		return err
	}
	src, err := c.secretSource(ov)
	if err != nil {
		return err
	}
	text := src.value
	if src.file {
		if text, err = c.readSecretFile(src); err != nil {
			return err
		}
	}
	secret, err := secconn.ParseSecret(text)
	if err != nil {
		return c.fail(src.key, "%v (generate one with: openssl rand -hex 32)", err)
	}
	c.Secret = secret
	return nil
}

func (c *Config) secretSource(ov Overrides) (secretSource, error) {
	switch {
	case ov.RPCSecretFile != "":
		return secretSource{key: "GARAGE_RPC_SECRET_FILE (or --rpc-secret-file)", value: ov.RPCSecretFile, file: true}, nil
	case ov.RPCSecret != "":
		return secretSource{key: "GARAGE_RPC_SECRET (or --rpc-secret)", value: ov.RPCSecret}, nil
	case c.RPCSecret != "" && c.RPCSecretFile != "":
		return secretSource{}, c.fail("rpc_secret", "both rpc_secret and rpc_secret_file are set: want only one")
	case c.RPCSecretFile != "":
		return secretSource{key: "rpc_secret_file", value: c.RPCSecretFile, file: true}, nil
	case c.RPCSecret != "":
		return secretSource{key: "rpc_secret", value: c.RPCSecret}, nil
	}
	return secretSource{}, c.fail("rpc_secret", "missing: want 64 hexadecimal characters in rpc_secret, a file named by rpc_secret_file, or GARAGE_RPC_SECRET")
}

// tokenSpec is one token of [admin] and the places it may come from.
type tokenSpec struct {
	key                string // "admin_token" or "metrics_token"
	env, envFile       string // from the environment
	inline, inlineFile string // from the file
}

// token resolves a token with the precedence of rpc_secret: a file named
// in the environment, the environment, then the file's key or its _file
// twin (not both). It returns "" when none is given.
func (c *Config) token(t tokenSpec) (string, error) {
	envName := "GARAGE_" + strings.ToUpper(t.key)
	key := "admin." + t.key
	var src secretSource
	switch {
	case t.envFile != "":
		src = secretSource{key: envName + "_FILE", value: t.envFile, file: true}
	case t.env != "":
		src = secretSource{key: envName, value: t.env}
	case t.inline != "" && t.inlineFile != "":
		return "", c.fail(key, "both %s and %s_file are set: want only one", t.key, t.key)
	case t.inlineFile != "":
		src = secretSource{key: key + "_file", value: t.inlineFile, file: true}
	default:
		return t.inline, nil
	}
	text := src.value
	if src.file {
		var err error
		if text, err = c.readSecretFile(src); err != nil {
			return "", err
		}
	}
	if text = strings.TrimSpace(text); text == "" {
		return "", c.fail(src.key, "empty token: want a random string (generate one with: openssl rand -base64 32)")
	}
	return text, nil
}

// readSecretFile reads a secret file, refusing one that group or others
// may read unless allowed (as Garage does).
func (c *Config) readSecretFile(src secretSource) (string, error) {
	st, err := os.Stat(src.value)
	if err != nil {
		return "", c.fail(src.key, "%v", err)
	}
	if perm := st.Mode().Perm(); perm&0o077 != 0 && !c.AllowWorldReadableSecrets {
		return "", c.fail(src.key, "%s has mode %04o: want it readable by its owner only (chmod 600 it), or set allow_world_readable_secrets", src.value, perm)
	}
	b, err := os.ReadFile(src.value)
	if err != nil {
		return "", c.fail(src.key, "%v", err)
	}
	return string(b), nil
}

func (c *Config) checkAllowWorldReadable(ov Overrides) error {
	if ov.AllowWorldReadableSecrets == "" {
		return nil
	}
	v, err := strconv.ParseBool(ov.AllowWorldReadableSecrets)
	if err != nil {
		return c.fail("GARAGE_ALLOW_WORLD_READABLE_SECRETS", "got %q, want true or false", ov.AllowWorldReadableSecrets)
	}
	c.AllowWorldReadableSecrets = v
	return nil
}

// SecretFrom decodes an rpc_secret given outside any configuration file
// (flags or environment), for a CLI that names its daemon with --rpc-host.
func SecretFrom(ov Overrides) ([secconn.SecretSize]byte, error) {
	var c Config
	if err := c.checkSecret(ov); err != nil {
		return [secconn.SecretSize]byte{}, err
	}
	return c.Secret, nil
}
