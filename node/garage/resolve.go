package garage

import (
	"errors"
	"fmt"
	"strings"

	"github.com/gogarage/garage/node/object"
)

// findKey resolves an admin's name for an access key (id, unique id
// prefix or unique name); when it is ambiguous, the error lists the
// keys it matches.
func (n *Node) findKey(pattern string) (object.KeyInfo, error) {
	k, err := n.objects.FindKey(pattern)
	if !errors.Is(err, object.ErrAmbiguousKey) {
		return k, err
	}
	all, lerr := n.objects.ListKeys()
	if lerr != nil {
		return k, err
	}
	var match []string
	for _, k := range all {
		if strings.HasPrefix(k.ID, pattern) || k.Name == pattern {
			match = append(match, fmt.Sprintf("%s (%s)", k.ID, k.Name))
		}
	}
	return k, fmt.Errorf("access key %q is ambiguous: %w: it matches %s; give its full id",
		pattern, object.ErrAmbiguousKey, strings.Join(match, ", "))
}
