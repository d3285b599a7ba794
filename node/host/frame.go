package host

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/gogarage/garage/node/rt"
)

// Wire format. Every frame is a 4-byte big-endian length n followed by n
// bytes: an 18-byte header, the endpoint name and the payload.
//
//	off size field
//	0   1    type      (frameType)
//	1   1    flags     (flagMore: another fragment of this message follows)
//	2   1    priority  (rt.Priority)
//	3   1    status    (replies only)
//	4   8    id        (request id, chosen by the caller, echoed by the reply)
//	12  4    budget    (requests: the caller's timeout in ms, 0 = none)
//	16  2    endpoint length e
//	18  e    endpoint
//	18+e     payload
//
// A message larger than the chunk size travels as several fragments with
// the same header, all but the last flagged flagMore, so that the writer can
// slip urgent frames between them. The length is checked against the limit
// before anything is allocated.
const (
	lenPrefix    = 4
	headerLen    = 18
	maxEndpoint  = 1 << 10
	helloMagic   = "GGRPC1\x00\x00"
	helloMinSize = len(helloMagic) + 8 + 1
)

type frameType uint8

const (
	ftHello   frameType = 1 // identity: magic, incarnation, node id
	ftRequest frameType = 2 // a call
	ftReply   frameType = 3 // the answer to a call, by id
	ftAccept  frameType = 4 // from the lower node id: this connection is the one
	ftGoAway  frameType = 5 // the sender will start no more calls here
	ftCancel  frameType = 6 // the caller gave up on request id: cancel its handler
)

func (t frameType) String() string {
	switch t {
	case ftHello:
		return "hello"
	case ftRequest:
		return "request"
	case ftReply:
		return "reply"
	case ftAccept:
		return "accept"
	case ftGoAway:
		return "goaway"
	case ftCancel:
		return "cancel"
	}
	return fmt.Sprintf("frame(%d)", uint8(t))
}

const flagMore = 1

type status uint8

const (
	statusOK        status = 0
	statusError     status = 1 // payload: the handler's error message
	statusNoHandler status = 2
	statusBadFrame  status = 3 // payload: what was wrong with the request frame
	statusTimeout   status = 4 // the handler failed after the caller's budget ran out
	statusShutdown  status = 5 // the handler failed as the callee shut down
)

// header is the fixed part of a frame plus its endpoint.
type header struct {
	typ      frameType
	flags    uint8
	prio     rt.Priority
	status   status
	id       uint64
	budget   uint32
	endpoint string
}

// Errors of frame decoding. Any of them closes the connection.
var (
	errFrameSize = errors.New("frame length out of bounds")
	errFrameForm = errors.New("malformed frame")
)

// appendHeader appends the length prefix, header and endpoint of a frame
// carrying payloadLen bytes of payload.
func appendHeader(dst []byte, h header, payloadLen int) []byte {
	n := headerLen + len(h.endpoint) + payloadLen
	dst = binary.BigEndian.AppendUint32(dst, uint32(n))
	dst = append(dst, byte(h.typ), h.flags, byte(h.prio), byte(h.status))
	dst = binary.BigEndian.AppendUint64(dst, h.id)
	dst = binary.BigEndian.AppendUint32(dst, h.budget)
	dst = binary.BigEndian.AppendUint16(dst, uint16(len(h.endpoint)))
	return append(dst, h.endpoint...)
}

// encodeFrame returns a whole frame: length prefix, header, payload.
func encodeFrame(h header, payload []byte) []byte {
	b := appendHeader(make([]byte, 0, lenPrefix+headerLen+len(h.endpoint)+len(payload)), h, len(payload))
	return append(b, payload...)
}

// parseFrame decodes a frame body (what follows the length prefix). The
// payload aliases body.
func parseFrame(body []byte) (header, []byte, error) {
	if len(body) < headerLen {
		return header{}, nil, fmt.Errorf("%w: %d-byte body", errFrameForm, len(body))
	}
	h := header{
		typ:    frameType(body[0]),
		flags:  body[1],
		prio:   rt.Priority(body[2]),
		status: status(body[3]),
		id:     binary.BigEndian.Uint64(body[4:12]),
		budget: binary.BigEndian.Uint32(body[12:16]),
	}
	e := int(binary.BigEndian.Uint16(body[16:18]))
	if e > maxEndpoint || headerLen+e > len(body) {
		return header{}, nil, fmt.Errorf("%w: endpoint length %d", errFrameForm, e)
	}
	h.endpoint = string(body[headerLen : headerLen+e])
	return h, body[headerLen+e:], nil
}

// readFrame reads one frame from r. A declared length below the header size
// or above max is rejected before allocating; a short read is an error.
func readFrame(r io.Reader, max int) (header, []byte, error) {
	var pre [lenPrefix]byte
	if _, err := io.ReadFull(r, pre[:]); err != nil {
		return header{}, nil, err
	}
	n := binary.BigEndian.Uint32(pre[:])
	if n < headerLen || uint64(n) > uint64(max) {
		return header{}, nil, fmt.Errorf("%w: %d bytes (max %d)", errFrameSize, n, max)
	}
	body := make([]byte, n)
	if _, err := io.ReadFull(r, body); err != nil {
		return header{}, nil, fmt.Errorf("truncated frame: %w", err)
	}
	return parseFrame(body)
}

// hello is the identity a node announces on a new connection.
type hello struct {
	id          rt.NodeID
	incarnation uint64 // random per Net instance: a change means the peer restarted
}

func encodeHello(h hello) []byte {
	p := append([]byte(helloMagic), make([]byte, 8)...)
	binary.BigEndian.PutUint64(p[len(helloMagic):], h.incarnation)
	return encodeFrame(header{typ: ftHello}, append(p, h.id...))
}

func parseHello(h header, payload []byte) (hello, error) {
	if h.typ != ftHello {
		return hello{}, fmt.Errorf("%w: %v frame before hello", errFrameForm, h.typ)
	}
	if len(payload) < helloMinSize || string(payload[:len(helloMagic)]) != helloMagic {
		return hello{}, fmt.Errorf("%w: bad hello", errFrameForm)
	}
	inc := binary.BigEndian.Uint64(payload[len(helloMagic):])
	return hello{id: rt.NodeID(payload[len(helloMagic)+8:]), incarnation: inc}, nil
}
