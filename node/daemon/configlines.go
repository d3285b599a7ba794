package daemon

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
)

// keyLines maps every key path of a TOML text ("rpc_bind_addr",
// "admin.api_bind_addr", "data_dir[1]") to the line that sets it. It reads
// [table] and [[array]] headers and key = value lines; values spanning
// lines are skipped over by bracket depth. It is for error messages only:
// the text has been parsed by toml first.
func keyLines(text string) map[string]int {
	lines := map[string]int{}
	table, depth := "", 0
	count := map[string]int{}
	for i, raw := range strings.Split(text, "\n") {
		line := strings.TrimSpace(stripComment(raw))
		if depth > 0 {
			depth += bracketDepth(line)
			continue
		}
		switch {
		case strings.HasPrefix(line, "[["):
			name := unquoteKey(strings.Trim(line, "[] "))
			table = fmt.Sprintf("%s[%d]", name, count[name])
			count[name]++
			setLine(lines, name, i+1)
		case strings.HasPrefix(line, "["):
			table = unquoteKey(strings.Trim(line, "[] "))
		default:
			k, v, ok := strings.Cut(line, "=")
			if !ok {
				continue
			}
			setLine(lines, joinKey(table, unquoteKey(strings.TrimSpace(k))), i+1)
			depth = bracketDepth(v)
			continue
		}
		setLine(lines, table, i+1)
	}
	return lines
}

func setLine(lines map[string]int, key string, n int) {
	if _, ok := lines[key]; !ok {
		lines[key] = n
	}
}

func joinKey(table, key string) string {
	if table == "" {
		return key
	}
	return table + "." + key
}

func unquoteKey(k string) string {
	if u, err := strconv.Unquote(k); err == nil {
		return u
	}
	return strings.Trim(k, "'")
}

// stripComment cuts a # comment that is outside quotes.
func stripComment(s string) string {
	var quote rune
	for i, r := range s {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote == 0 && (r == '"' || r == '\''):
			quote = r
		case quote == 0 && r == '#':
			return s[:i]
		}
	}
	return s
}

// bracketDepth returns the opened minus the closed brackets and braces of
// s outside quotes.
func bracketDepth(s string) int {
	d := 0
	var quote rune
	for _, r := range stripComment(s) {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '"' || r == '\'':
			quote = r
		case r == '[' || r == '{':
			d++
		case r == ']' || r == '}':
			d--
		}
	}
	return d
}

// decodeError turns an error of toml.Decode into a *ConfigError naming
// the line and, when known, the key.
func decodeError(path string, err error) error {
	var pe toml.ParseError
	if errors.As(err, &pe) {
		msg := strings.TrimPrefix(pe.Message, "toml: ")
		return &ConfigError{Path: path, Line: pe.Position.Line, Key: pe.LastKey, Msg: msg}
	}
	// The type errors of toml: `toml: line 5 (last key "x"): incompatible types: ...`.
	typeErr := regexp.MustCompile(`^toml: line (\d+) \(last key "([^"]*)"\): (.*)$`)
	if m := typeErr.FindStringSubmatch(err.Error()); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &ConfigError{Path: path, Line: line, Key: m[2], Msg: typeMessage(m[3])}
	}
	return &ConfigError{Path: path, Msg: strings.TrimPrefix(err.Error(), "toml: ")}
}

// typeMessage rewrites toml's "incompatible types" message in the words of
// the other errors.
func typeMessage(msg string) string {
	var got, want string
	if _, err := fmt.Sscanf(msg, "incompatible types: TOML value has type %s destination has type %s", &got, &want); err != nil {
		return msg
	}
	return fmt.Sprintf("got a %s, want %s", strings.TrimSuffix(got, ";"), article(want))
}

func article(noun string) string {
	switch noun {
	case "slice":
		return "a list"
	case "integer":
		return "an integer"
	}
	return "a " + noun
}

// garageOnly reports whether key is a key of Garage's garage.toml that
// this implementation does not have.
func garageOnly(key string) bool {
	switch key {
	case "metadata_snapshots_dir", "metadata_auto_snapshot_interval", "disable_scrub",
		"use_local_tz", "lmdb_map_size", "block_max_concurrent_reads",
		"rpc_bind_outgoing", "rpc_ping_timeout_msec", "rpc_timeout_msec",
		"consul_discovery", "kubernetes_discovery", "admin.trace_sink",
		"allow_punycode", "s3_web.add_host_to_metrics", "sled_cache_capacity",
		"sled_flush_every_ms", "k2v_api":
		return true
	}
	return false
}

// unknownKeyHint explains an unknown key: a Garage key not implemented
// here, or a misspelling of a known one.
func unknownKeyHint(key string) string {
	top, _, _ := strings.Cut(key, ".")
	if garageOnly(key) || garageOnly(top) {
		return "a Garage key that this implementation does not support (remove it; see `garage config keys`)"
	}
	if near := nearestKey(key); near != "" {
		return fmt.Sprintf("unknown key: did you mean %q? (see `garage config keys`)", near)
	}
	return "unknown key (see `garage config keys` for the keys and their defaults)"
}

// nearestKey returns the documented key closest to key by edit distance,
// if it is close enough to be a typo.
func nearestKey(key string) string {
	best, bestD := "", 3
	for _, k := range Keys() {
		table, _, _ := strings.Cut(k.Name, ".")
		for _, cand := range []string{k.Name, table} {
			if d := editDistance(key, cand); d < bestD {
				best, bestD = cand, d
			}
		}
	}
	return best
}

// editDistance is the Levenshtein distance of a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}
