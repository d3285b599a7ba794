package secconn

import (
	"bytes"
	"encoding/hex"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestParseSecret(t *testing.T) {
	valid := strings.Repeat("0123456789abcdef", 4)
	tests := []struct {
		in      string
		wantErr string // empty: must succeed
	}{
		{valid, ""},
		{"  " + strings.ToUpper(valid) + "\n", ""},
		{"", "empty"},
		{"   ", "empty"},
		{valid[:62], "has 62 characters"},
		{valid + "00", "has 66 characters"},
		{strings.Repeat("zz", 32), "not hexadecimal"},
	}
	for _, tt := range tests {
		got, err := ParseSecret(tt.in)
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("ParseSecret(%q) err = %v, want success", tt.in, err)
		case tt.wantErr == "" && hex.EncodeToString(got[:]) != valid:
			t.Errorf("ParseSecret(%q) = %x, want %s", tt.in, got, valid)
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("ParseSecret(%q) err = %v, want mention of %q", tt.in, err, tt.wantErr)
		case err != nil && strings.Contains(err.Error(), strings.TrimSpace(tt.in)) && len(tt.in) > 8:
			t.Errorf("ParseSecret error echoes the secret: %v", err)
		}
	}
}

func TestGenerateSecret(t *testing.T) {
	a, b := GenerateSecret(), GenerateSecret()
	if a == b {
		t.Fatalf("two generated secrets are equal")
	}
	if _, err := ParseSecret(a); err != nil {
		t.Fatalf("generated secret does not parse: %v", err)
	}
}

// TestHelloProperties checks, over random inputs, that a hello opens under
// the same secret, role and prior with its version intact, and fails under
// any other secret, role or prior.
func TestHelloProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for i := range 500 {
		secret, other := randSecret(rng), randSecret(rng)
		eph, prior := randBytes(rng, ephSize), randBytes(rng, helloSize)
		v := uint16(rng.Uint32())
		msg := sealHello(&secret, serverRole, prior, eph, v)
		gotEph, gotV, err := openHello(&secret, serverRole, prior, msg)
		if err != nil || !bytes.Equal(gotEph, eph) || gotV != v {
			t.Fatalf("case %d: open = %x, %d, %v; want %x, %d", i, gotEph, gotV, err, eph, v)
		}
		wrong := []struct {
			name   string
			secret [SecretSize]byte
			r      role
			prior  []byte
		}{
			{"secret", other, serverRole, prior},
			{"role", secret, clientRole, prior},
			{"prior", secret, serverRole, randBytes(rng, helloSize)},
		}
		for _, w := range wrong {
			if _, _, err := openHello(&w.secret, w.r, w.prior, msg); !errors.Is(err, ErrSecret) {
				t.Fatalf("case %d: hello opened under another %s (err %v)", i, w.name, err)
			}
		}
	}
}

// TestHelloMasksVersion checks that an outsider cannot read the version:
// the same version gives different bytes under different ephemeral keys.
func TestHelloMasksVersion(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	secret := randSecret(rng)
	seen := map[[2]byte]bool{}
	for range 64 {
		msg := sealHello(&secret, clientRole, nil, randBytes(rng, ephSize), Version)
		seen[[2]byte(msg[ephSize:ephSize+2])] = true
	}
	if len(seen) < 32 {
		t.Fatalf("version field took only %d distinct values in 64 hellos", len(seen))
	}
}

func randSecret(rng *rand.Rand) [SecretSize]byte {
	return [SecretSize]byte(randBytes(rng, SecretSize))
}
