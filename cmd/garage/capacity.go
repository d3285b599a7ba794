package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// capacityUnits maps the lowercase unit suffixes of a capacity to their
// size in bytes: SI units are powers of 1000 (10G is 10^10 bytes, as in
// Garage), IEC units ("Gi", "GiB") powers of 1024.
var capacityUnits = map[string]float64{
	"": 1, "b": 1,
	"k": 1e3, "kb": 1e3, "m": 1e6, "mb": 1e6, "g": 1e9, "gb": 1e9,
	"t": 1e12, "tb": 1e12, "p": 1e15, "pb": 1e15,
	"ki": 1 << 10, "kib": 1 << 10, "mi": 1 << 20, "mib": 1 << 20, "gi": 1 << 30, "gib": 1 << 30,
	"ti": 1 << 40, "tib": 1 << 40, "pi": 1 << 50, "pib": 1 << 50,
}

const capacityHint = "want a number and an optional unit, e.g. 10G, 500M, 1.5T, 1TiB or 1000000 (bytes)"

// parseCapacity parses a node capacity such as "10G", "500M", "1T" or a
// raw number of bytes, rounding fractions of a byte down.
func parseCapacity(s string) (int64, error) {
	t := strings.TrimSpace(s)
	i := strings.IndexFunc(t, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
	if i < 0 {
		i = len(t)
	}
	num, unit := t[:i], strings.ToLower(strings.TrimSpace(t[i:]))
	if num == "" {
		return 0, fmt.Errorf("capacity %q: %s", s, capacityHint)
	}
	mult, ok := capacityUnits[unit]
	if !ok {
		return 0, fmt.Errorf("capacity %q: unknown unit %q: want B, K, M, G, T, P (powers of 1000) or Ki, Mi, Gi, Ti, Pi (powers of 1024)", s, t[i:])
	}
	if !strings.Contains(num, ".") {
		return exactCapacity(s, num, int64(mult))
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil {
		return 0, fmt.Errorf("capacity %q: %s", s, capacityHint)
	}
	return checkCapacity(s, f*mult)
}

// exactCapacity multiplies an integer by a unit without rounding.
func exactCapacity(s, num string, mult int64) (int64, error) {
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n > math.MaxInt64/mult {
		return 0, fmt.Errorf("capacity %q: too large", s)
	}
	if n == 0 {
		return checkCapacity(s, 0)
	}
	return n * mult, nil
}

func checkCapacity(s string, f float64) (int64, error) {
	switch {
	case f < 1:
		return 0, fmt.Errorf("capacity %q: want at least 1 byte (use -g for a gateway without capacity)", s)
	case f >= math.MaxInt64:
		return 0, fmt.Errorf("capacity %q: too large", s)
	}
	return int64(f), nil
}
