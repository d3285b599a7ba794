package model

import "strings"

// Header is one stored HTTP header of an object: Content-Type,
// Cache-Control, an x-amz-meta-* entry, and so on, as the S3 layer chose.
type Header struct {
	Name, Value string
}

// Checksum is a stored full-object checksum: its algorithm as the S3
// layer names it ("CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256") and
// its raw value; the zero Checksum means none.
type Checksum struct {
	Algorithm string
	Value     []byte
}

// Encryption describes how the S3 layer encrypted an object's bytes: for
// SSE-C the algorithm ("AES256") and the MD5 of the customer's key, which
// a GET must present again. The zero Encryption means plaintext.
type Encryption struct {
	Algorithm string
	KeyMD5    []byte
}

// Meta is what an object version stores besides its data.
type Meta struct {
	Size uint64 // bytes, as stored (after any encryption)
	// ETag is the hex MD5 of the data, or "<hex md5 of part md5s>-N" for
	// a multipart object (unquoted).
	ETag       string
	Headers    []Header
	Checksum   Checksum
	Encryption Encryption
	// Parts is the number of parts of a multipart object, 0 otherwise.
	Parts uint64
}

// Encode appends every field in declaration order; the headers as a
// count and name/value pairs, in their order.
func (m Meta) Encode(b []byte) []byte {
	b = appendStr(appendU64(b, m.Size), m.ETag)
	b = appendU64(b, uint64(len(m.Headers)))
	for _, h := range m.Headers {
		b = appendStr(appendStr(b, h.Name), h.Value)
	}
	b = appendStr(b, m.Checksum.Algorithm)
	b = appendBytes(b, m.Checksum.Value)
	b = appendStr(b, m.Encryption.Algorithm)
	b = appendBytes(b, m.Encryption.KeyMD5)
	return appendU64(b, m.Parts)
}

// Decode reads a Meta.
func (Meta) Decode(b []byte) (Meta, []byte, error) {
	d := decoder{b: b}
	m := Meta{Size: d.u64(), ETag: d.str()}
	n := d.u64()
	d.check(n <= uint64(len(d.b)), "header count")
	for i := uint64(0); i < n && d.err == nil; i++ {
		m.Headers = append(m.Headers, Header{Name: d.str(), Value: d.str()})
	}
	m.Checksum = Checksum{Algorithm: d.str(), Value: d.bytes()}
	m.Encryption = Encryption{Algorithm: d.str(), KeyMD5: d.bytes()}
	m.Parts = d.u64()
	rest, err := d.done("object meta")
	return m, rest, err
}

// Header returns the value of the first header named name (compared
// without case) and whether there is one.
func (m Meta) Header(name string) (string, bool) {
	for _, h := range m.Headers {
		if strings.EqualFold(h.Name, name) {
			return h.Value, true
		}
	}
	return "", false
}
