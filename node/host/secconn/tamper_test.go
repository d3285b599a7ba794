package secconn

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"testing"
)

// edit rewrites the client→server frame stream: given frame i (header and
// ciphertext) it returns the frames to deliver, and whether to cut the
// connection after them.
type edit func(i int, frame []byte) (out [][]byte, cut bool)

// proxied returns a handshaken pair whose client→server frames pass
// through e; the handshake itself passes untouched.
func proxied(t *testing.T, e edit) (*Conn, *Conn) {
	t.Helper()
	cEnd, pc := net.Pipe()
	ps, sEnd := net.Pipe()
	go func() { io.Copy(pc, ps); pc.Close() }()
	go func() { relayFrames(pc, ps, e); ps.Close() }()
	return mustPair(t, cEnd, sEnd)
}

func relayFrames(from io.Reader, to io.Writer, e edit) {
	if _, err := io.CopyN(to, from, helloSize+proofSize); err != nil {
		return
	}
	for i := 0; ; i++ {
		frame, err := readWireFrame(from)
		if err != nil {
			return
		}
		out, cut := e(i, frame)
		for _, f := range out {
			to.Write(f)
		}
		if cut {
			return
		}
	}
}

func readWireFrame(r io.Reader) ([]byte, error) {
	head := make([]byte, headerSize)
	if _, err := io.ReadFull(r, head); err != nil {
		return nil, err
	}
	body := make([]byte, binary.BigEndian.Uint32(head))
	if _, err := io.ReadFull(r, body); err != nil {
		return nil, err
	}
	return append(head, body...), nil
}

// at applies f to frame k and passes the others.
func at(k int, f func(frame []byte) ([][]byte, bool)) edit {
	return func(i int, frame []byte) ([][]byte, bool) {
		if i == k {
			return f(frame)
		}
		return [][]byte{frame}, false
	}
}

func flipByte(off int) func([]byte) ([][]byte, bool) {
	return func(f []byte) ([][]byte, bool) {
		f = bytes.Clone(f)
		f[(off+len(f))%len(f)] ^= 0x20
		return [][]byte{f}, false
	}
}

func setLength(n uint32) func([]byte) ([][]byte, bool) {
	return func(f []byte) ([][]byte, bool) {
		f = bytes.Clone(f)
		binary.BigEndian.PutUint32(f, n)
		return [][]byte{f}, false
	}
}

// swap holds frame k and delivers it after frame k+1.
func swap(k int) edit {
	var held []byte
	return func(i int, frame []byte) ([][]byte, bool) {
		switch i {
		case k:
			held = frame
			return nil, false
		case k + 1:
			return [][]byte{frame, held}, false
		}
		return [][]byte{frame}, false
	}
}

func TestTamperedFrames(t *testing.T) {
	const msgLen = 100 // one frame of 4+100+16 bytes per message
	tests := []struct {
		name string
		edit edit
		good int // messages delivered before the failure
		want error
	}{
		{"flip ciphertext", at(2, flipByte(headerSize+10)), 2, ErrAuth},
		{"flip tag", at(2, flipByte(-1)), 2, ErrAuth},
		{"flip length", at(2, flipByte(3)), 2, ErrAuth},
		{"shorter length", at(0, setLength(msgLen)), 0, ErrAuth},
		{"huge length", at(1, setLength(1<<30)), 1, ErrFrame},
		{"length below tag", at(1, setLength(overhead-1)), 1, ErrFrame},
		{"replay", at(1, func(f []byte) ([][]byte, bool) { return [][]byte{f, f}, false }), 2, ErrAuth},
		{"drop", at(1, func([]byte) ([][]byte, bool) { return nil, false }), 1, ErrAuth},
		{"reorder", swap(1), 1, ErrAuth},
		{"inject", at(2, func(f []byte) ([][]byte, bool) { return [][]byte{f[:headerSize+overhead], f}, false }), 2, ErrAuth},
		{"truncate", at(2, func(f []byte) ([][]byte, bool) { return [][]byte{f[:len(f)/2]}, true }), 2, io.ErrUnexpectedEOF},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, s := proxied(t, tt.edit)
			defer c.Close()
			go func() {
				for i := range 5 {
					c.Write(bytes.Repeat([]byte{byte('a' + i)}, msgLen))
				}
			}()
			checkTampered(t, s, msgLen, tt.good, tt.want)
		})
	}
}

// checkTampered reads good intact messages, then expects want, stickily,
// and (for authentication failures) a closed connection.
func checkTampered(t *testing.T, s *Conn, msgLen, good int, want error) {
	t.Helper()
	buf := make([]byte, msgLen)
	for i := range good {
		if _, err := io.ReadFull(s, buf); err != nil || buf[0] != byte('a'+i) {
			t.Fatalf("message %d: %q, %v; want intact", i, buf[:1], err)
		}
	}
	_, err := s.Read(buf)
	if !errors.Is(err, want) {
		t.Fatalf("read after tampering: err = %v, want %v", err, want)
	}
	if _, again := s.Read(buf); !errors.Is(again, want) {
		t.Errorf("second read: err = %v, want the same failure", again)
	}
	if want == io.ErrUnexpectedEOF {
		return
	}
	if _, werr := s.Write([]byte("x")); werr == nil {
		t.Errorf("write after authentication failure succeeded: connection not closed")
	}
}
