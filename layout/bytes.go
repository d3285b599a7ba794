package layout

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// BytesHint says what ParseBytes accepts, for error messages.
const BytesHint = "want a number and a unit, e.g. 10G, 500M, 1.5T, 1TiB or 4096B"

// unitSize returns the size in bytes of a lowercase unit suffix: SI units
// are powers of 1000 (10G is 10^10 bytes, as in Garage), IEC units ("Gi",
// "GiB") powers of 1024.
func unitSize(unit string) (float64, bool) {
	u := strings.TrimSuffix(unit, "b")
	iec := strings.HasSuffix(u, "i")
	u = strings.TrimSuffix(u, "i")
	exp := strings.Index("kmgtpe", u) + 1
	switch {
	case unit == "b":
		return 1, true
	case len(u) != 1 || exp == 0:
		return 0, false
	case iec:
		return math.Pow(1024, float64(exp)), true
	}
	return math.Pow(1000, float64(exp)), true
}

// ParseBytes parses a size such as "10G", "500M", "1.5T", "1GiB" or
// "4096B", rounding fractions of a byte down. A unit is required (a bare
// "10" is more likely a forgotten G than ten bytes), except for "0". The
// error names s and says what is expected.
func ParseBytes(s string) (int64, error) {
	t := strings.TrimSpace(s)
	i := strings.IndexFunc(t, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
	if i < 0 {
		i = len(t)
	}
	num, unit := t[:i], strings.ToLower(strings.TrimSpace(t[i:]))
	if num == "" || strings.Count(num, ".") > 1 {
		return 0, fmt.Errorf("%q: %s", s, BytesHint)
	}
	if unit == "" {
		if f, err := strconv.ParseFloat(num, 64); err == nil && f == 0 {
			return 0, nil
		}
		return 0, fmt.Errorf("%q has no unit: %s (a plain number of bytes needs the unit B: %sB)", s, BytesHint, num)
	}
	mult, ok := unitSize(unit)
	if !ok {
		return 0, fmt.Errorf("%q: unknown unit %q: want B, K, M, G, T, P (powers of 1000) or Ki, Mi, Gi, Ti, Pi (powers of 1024)", s, t[i:])
	}
	if !strings.Contains(num, ".") {
		return exactBytes(s, num, int64(mult))
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil || f*mult >= math.MaxInt64 {
		return 0, fmt.Errorf("%q: too large", s)
	}
	return int64(f * mult), nil
}

// exactBytes multiplies an integer by a unit without rounding.
func exactBytes(s, num string, mult int64) (int64, error) {
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n > math.MaxInt64/mult {
		return 0, fmt.Errorf("%q: too large", s)
	}
	return n * mult, nil
}
