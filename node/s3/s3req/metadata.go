package s3req

import (
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/gogarage/garage/node/s3/s3err"
)

// MaxUserMetadata bounds the user metadata of an object: the UTF-8 bytes
// of its names (without the x-amz-meta- prefix) and values.
const MaxUserMetadata = 2 << 10

// metaPrefix starts the headers of user metadata.
const metaPrefix = "x-amz-meta-"

// Meta is one user metadata entry; Name is lower case, without the
// x-amz-meta- prefix.
type Meta struct {
	Name, Value string
}

// Header returns the header that carries the entry.
func (m Meta) Header() string { return metaPrefix + m.Name }

// UserMetadata extracts the x-amz-meta-* headers of h (a header map in
// any key case), sorted by name; repeated headers are joined with ','.
// More than MaxUserMetadata bytes is a MetadataTooLarge error.
func UserMetadata(h map[string][]string) ([]Meta, error) {
	var out []Meta
	size := 0
	for _, k := range slices.Sorted(maps.Keys(h)) {
		name, ok := strings.CutPrefix(strings.ToLower(k), metaPrefix)
		if !ok || name == "" {
			continue
		}
		v := strings.Join(h[k], ",")
		out = append(out, Meta{name, v})
		size += len(name) + len(v)
	}
	if size > MaxUserMetadata {
		return nil, s3err.New(s3err.MetadataTooLarge, "").With("Size", itoa(size)).With("MaxSizeAllowed", itoa(MaxUserMetadata))
	}
	slices.SortStableFunc(out, func(a, b Meta) int { return strings.Compare(a.Name, b.Name) })
	return mergeMeta(out), nil
}

// mergeMeta joins the values of entries of equal names (headers that
// differ only by case), which are adjacent.
func mergeMeta(ms []Meta) []Meta {
	out := ms[:0]
	for _, m := range ms {
		if n := len(out); n > 0 && out[n-1].Name == m.Name {
			out[n-1].Value += "," + m.Value
			continue
		}
		out = append(out, m)
	}
	return out
}

// StoredHeaders are the standard headers an object keeps from its upload
// and returns on GET and HEAD.
func StoredHeaders() []string {
	return []string{"Cache-Control", "Content-Disposition", "Content-Encoding", "Content-Language", "Content-Type", "Expires"}
}

// itoa formats n in decimal.
func itoa(n int) string { return strconv.Itoa(n) }
