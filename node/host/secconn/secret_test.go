package secconn

import (
	"encoding/hex"
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
