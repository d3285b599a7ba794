package cluster

import (
	"encoding/hex"
	"strconv"

	"github.com/gogarage/garage/node/rt"
)

// The membership's most frequent messages (pings, acks, ping requests and
// status exchanges) have a hand-written JSON codec. Its output is byte for
// byte what encoding/json writes, and it reads back exactly that canonical
// form into what encoding/json would decode. Anything else (a string that
// encoding/json escapes, whitespace, a field out of place, a number it
// would reject) falls back to encoding/json. The bytes on the wire, and so
// the timings of a simulation, do not depend on which path ran; the test
// of this file compares the two on random and mutated messages.

// appendMsg appends m in canonical JSON, or reports false when m holds a
// string encoding/json would escape.
func appendMsg(b []byte, m *swimMsg) ([]byte, bool) {
	b = append(b, `{"inc":`...)
	b = strconv.AppendUint(b, m.Inc, 10)
	if m.Addr != "" {
		if !plain(m.Addr) {
			return b, false
		}
		b = append(b, `,"addr":"`...)
		b = append(b, m.Addr...)
		b = append(b, '"')
	}
	b = append(b, `,"layout":`...)
	b = appendDigest(b, m.Layout)
	if m.You != nil {
		b = append(b, `,"you":`...)
		b = appendLive(b, *m.You)
	}
	if len(m.Updates) > 0 {
		b = append(b, `,"updates":[`...)
		for i, u := range m.Updates {
			if i > 0 {
				b = append(b, ',')
			}
			if !plain(string(u.ID)) || !plain(u.Addr) {
				return b, false
			}
			b = append(b, `{"id":"`...)
			b = append(b, u.ID...)
			b = append(b, '"')
			if u.Addr != "" {
				b = append(b, `,"addr":"`...)
				b = append(b, u.Addr...)
				b = append(b, '"')
			}
			b = append(b, `,"live":`...)
			b = appendLive(b, u.Live)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	return append(b, '}'), true
}

func appendLive(b []byte, l Liveness) []byte {
	b = append(b, `{"inc":`...)
	b = strconv.AppendUint(b, l.Inc, 10)
	b = append(b, `,"state":`...)
	b = strconv.AppendUint(b, uint64(l.State), 10)
	return append(b, '}')
}

func appendDigest(b []byte, d Digest) []byte {
	b = append(b, '"')
	b = hex.AppendEncode(b, d[:])
	return append(b, '"')
}

// appendStamps appends ss as a JSON array, or reports false.
func appendStamps(b []byte, ss []stamp) ([]byte, bool) {
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		if !plain(string(s.ID)) {
			return b, false
		}
		b = append(b, `{"i":"`...)
		b = append(b, s.ID...)
		b = append(b, '"')
		if s.Ver != 0 {
			b = append(b, `,"v":`...)
			b = strconv.AppendUint(b, s.Ver, 10)
		}
		b = append(b, `,"l":`...)
		b = appendLive(b, s.Live)
		b = append(b, '}')
	}
	return append(b, ']'), true
}

// plain reports whether encoding/json writes s as it is: printable ASCII
// without the quote, the backslash and the three characters it escapes
// for HTML.
func plain(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20 || c > 0x7e, c == '"', c == '\\', c == '<', c == '>', c == '&':
			return false
		}
	}
	return true
}

// encodeFast is encode for the messages with a hand-written codec; it
// reports false for every other value and for a message it cannot write.
func encodeFast(v any) ([]byte, bool) {
	var b []byte
	ok := true
	switch m := v.(type) {
	case swimMsg:
		b, ok = appendMsg(make([]byte, 0, 160), &m)
	case pingReq:
		if !plain(string(m.Target)) {
			return nil, false
		}
		b = append(make([]byte, 0, 200), `{"target":"`...)
		b = append(b, m.Target...)
		b = append(b, `","msg":`...)
		b, ok = appendMsg(b, &m.Msg)
		b = append(b, '}')
	case statusReq:
		b, ok = appendMsg(append(make([]byte, 0, 240), `{"msg":`...), &m.Msg)
		b = append(b, `,"sum":`...)
		b = appendDigest(b, m.Sum)
		b = append(b, '}')
	case statusRep:
		b, ok = appendMsg(append(make([]byte, 0, 160+60*len(m.Stamps)), `{"msg":`...), &m.Msg)
		if m.Same {
			b = append(b, `,"same":true`...)
		}
		if ok && len(m.Stamps) > 0 {
			b = append(b, `,"stamps":`...)
			b, ok = appendStamps(b, m.Stamps)
		}
		b = append(b, '}')
	default:
		return nil, false
	}
	return b, ok
}

// decodeFast is decode for the messages with a hand-written codec: it
// reports whether b was in canonical form and p now holds what
// encoding/json would have decoded. On false p may hold part of b.
func decodeFast(b []byte, p any) bool {
	s := scan{b: b, ok: true}
	switch m := p.(type) {
	case *swimMsg:
		s.msg(m)
	case *pingReq:
		s.lit(`{"target":`)
		m.Target = rt.NodeID(s.str())
		s.lit(`,"msg":`)
		s.msg(&m.Msg)
		s.lit(`}`)
	case *statusReq:
		s.lit(`{"msg":`)
		s.msg(&m.Msg)
		s.lit(`,"sum":`)
		m.Sum = s.digest()
		s.lit(`}`)
	case *statusRep:
		s.lit(`{"msg":`)
		s.msg(&m.Msg)
		if s.opt(`,"same":true`) {
			m.Same = true
		}
		if s.opt(`,"stamps":[`) {
			s.elems(func() {
				var st stamp
				s.lit(`{"i":`)
				st.ID = rt.NodeID(s.str())
				if s.opt(`,"v":`) {
					st.Ver = s.uint(64)
				}
				s.lit(`,"l":`)
				st.Live = s.live()
				s.lit(`}`)
				m.Stamps = append(m.Stamps, st)
			})
		}
		s.lit(`}`)
	default:
		return false
	}
	return s.ok && s.i == len(b)
}

// scan reads the canonical form; the first mismatch clears ok and every
// read after it is a no-op.
type scan struct {
	b  []byte
	i  int
	ok bool
}

func (s *scan) lit(l string) {
	if s.ok {
		s.ok = s.i+len(l) <= len(s.b) && string(s.b[s.i:s.i+len(l)]) == l
		if s.ok {
			s.i += len(l)
		}
	}
}

// elems reads the elements of a non-empty array, its opening bracket
// read, with elem, and its closing bracket.
func (s *scan) elems(elem func()) {
	for more := true; more && s.ok; more = s.opt(`,`) {
		elem()
	}
	s.lit(`]`)
}

// opt consumes l if it comes next and reports whether it did.
func (s *scan) opt(l string) bool {
	if s.ok && s.i+len(l) <= len(s.b) && string(s.b[s.i:s.i+len(l)]) == l {
		s.i += len(l)
		return true
	}
	return false
}

// str reads a string without escapes whose bytes are printable ASCII.
func (s *scan) str() string {
	if !s.ok || s.i >= len(s.b) || s.b[s.i] != '"' {
		s.ok = false
		return ""
	}
	for j := s.i + 1; j < len(s.b); j++ {
		switch c := s.b[j]; {
		case c == '"':
			v := string(s.b[s.i+1 : j])
			s.i = j + 1
			return v
		case c < 0x20 || c > 0x7e || c == '\\':
			s.ok = false
			return ""
		}
	}
	s.ok = false
	return ""
}

// uint reads a JSON number that fits an unsigned integer of the given
// bits: digits only, no leading zero.
func (s *scan) uint(bits int) uint64 {
	if !s.ok {
		return 0
	}
	j := s.i
	for j < len(s.b) && s.b[j] >= '0' && s.b[j] <= '9' {
		j++
	}
	if j == s.i || (s.b[s.i] == '0' && j > s.i+1) {
		s.ok = false
		return 0
	}
	v, err := strconv.ParseUint(string(s.b[s.i:j]), 10, bits)
	if err != nil {
		s.ok = false
		return 0
	}
	s.i = j
	return v
}

// digest reads a Digest as lowercase hex.
func (s *scan) digest() Digest {
	var d Digest
	const n = 2*len(d) + 2
	if !s.ok || s.i+n > len(s.b) || s.b[s.i] != '"' || s.b[s.i+n-1] != '"' {
		s.ok = false
		return d
	}
	for _, c := range s.b[s.i+1 : s.i+n-1] {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			s.ok = false
			return d
		}
	}
	if _, err := hex.Decode(d[:], s.b[s.i+1:s.i+n-1]); err != nil {
		s.ok = false
		return d
	}
	s.i += n
	return d
}

func (s *scan) live() Liveness {
	var l Liveness
	s.lit(`{"inc":`)
	l.Inc = s.uint(64)
	s.lit(`,"state":`)
	l.State = MemberState(s.uint(8))
	s.lit(`}`)
	return l
}

func (s *scan) msg(m *swimMsg) {
	s.lit(`{"inc":`)
	m.Inc = s.uint(64)
	if s.opt(`,"addr":`) {
		m.Addr = s.str()
	}
	s.lit(`,"layout":`)
	m.Layout = s.digest()
	if s.opt(`,"you":`) {
		l := s.live()
		m.You = &l
	}
	if s.opt(`,"updates":[`) {
		s.elems(func() {
			var u update
			s.lit(`{"id":`)
			u.ID = rt.NodeID(s.str())
			if s.opt(`,"addr":`) {
				u.Addr = s.str()
			}
			s.lit(`,"live":`)
			u.Live = s.live()
			s.lit(`}`)
			m.Updates = append(m.Updates, u)
		})
	}
	s.lit(`}`)
}
