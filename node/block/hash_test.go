package block

import (
	"encoding/json"
	"fmt"
	"testing"
)

func TestHashText(t *testing.T) {
	h := Sum([]byte("garage"))
	b, err := json.Marshal(map[string]Hash{"h": h})
	if err != nil {
		t.Fatal(err)
	}
	var back map[string]Hash
	if err := json.Unmarshal(b, &back); err != nil || back["h"] != h {
		t.Fatalf("round trip of %s: %s, %v", h, b, err)
	}
	for _, bad := range []string{"", "zz", h.String()[:63], h.String() + "00", "g" + h.String()[1:]} {
		if _, err := ParseHash(bad); err == nil {
			t.Errorf("ParseHash(%q) accepted", bad)
		}
	}
}

func ExampleSum() {
	fmt.Println(Sum([]byte("hello")))
	// Output: 324dcf027dd4a30a932c441f365a25e86b173defa4b8e58948253471b81b72cf
}
