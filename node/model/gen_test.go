package model

import (
	"math/rand/v2"

	"github.com/gogarage/garage/node/crdt"
)

func genUUID(r *rand.Rand) UUID { return UUID{byte(r.IntN(3))} }
func genHash(r *rand.Rand) Hash { return Hash{0xb, byte(r.IntN(3))} }
func genTS(r *rand.Rand) uint64 { return uint64(r.IntN(3)) }
func genStr(r *rand.Rand) string {
	return []string{"", "a", "b", "ab"}[r.IntN(4)]
}

func genLWW[T crdt.Value[T]](r *rand.Rand, v T) crdt.LWW[T] { return crdt.NewLWW(genTS(r), v) }

func genPerm(r *rand.Rand) Perm {
	return Perm{Read: r.IntN(2) == 0, Write: r.IntN(2) == 0, Owner: r.IntN(2) == 0}
}

func genBucketParams(r *rand.Rand) BucketParams {
	var p BucketParams
	p.Created.V = crdt.Uint64(genTS(r))
	for range r.IntN(3) {
		p.Keys = p.Keys.Put(crdt.String(genStr(r)), genLWW(r, genPerm(r)))
		p.Aliases = p.Aliases.Put(crdt.String(genStr(r)), genLWW(r, crdt.Bool(r.IntN(2) == 0)))
		p.LocalAliases = p.LocalAliases.Put(LocalAliasKey(genStr(r), genStr(r)), genLWW(r, crdt.Bool(r.IntN(2) == 0)))
	}
	w := Website{Enabled: r.IntN(2) == 0}
	if w.Enabled {
		w.IndexDocument, w.ErrorDocument = genStr(r), genStr(r)
	}
	p.Website = genLWW(r, w)
	p.CORS = genLWW(r, crdt.Bytes(genStr(r)))
	p.Lifecycle = genLWW(r, crdt.Bytes(genStr(r)))
	p.Quotas = genLWW(r, Quotas{MaxSize: genTS(r), MaxObjects: genTS(r)})
	return p
}

func genBucket(r *rand.Rand) Bucket {
	b := Bucket{ID: UUID{9}, State: crdt.Present(genBucketParams(r))}
	if r.IntN(4) == 0 {
		b.State = crdt.Deleted[BucketParams]()
	}
	return b
}

func genAlias(r *rand.Rand) BucketAlias {
	t := OptUUID{}
	if r.IntN(3) > 0 {
		t = Some(genUUID(r))
	}
	return BucketAlias{Name: "n", Target: genLWW(r, t)}
}

func genKey(r *rand.Rand) Key {
	k := Key{ID: "GK1", State: crdt.Deleted[KeyParams]()}
	if r.IntN(4) == 0 {
		return k
	}
	p := KeyParams{Secret: crdt.Max[crdt.String]{V: crdt.String(genStr(r))}, Name: genLWW(r, crdt.String(genStr(r))),
		AllowCreateBucket: genLWW(r, crdt.Bool(r.IntN(2) == 0))}
	for range r.IntN(3) {
		p.Buckets = p.Buckets.Put(crdt.String(genStr(r)), genLWW(r, genPerm(r)))
		p.LocalAliases = p.LocalAliases.Put(crdt.String(genStr(r)), genLWW(r, Some(genUUID(r))))
	}
	k.State = crdt.Present(p)
	return k
}

func genMeta(r *rand.Rand) Meta {
	m := Meta{Size: genTS(r), ETag: genStr(r)}
	if r.IntN(2) == 0 {
		m.Headers = []Header{{Name: "Content-Type", Value: genStr(r)}}
	}
	if r.IntN(3) == 0 {
		m.Checksum = Checksum{Algorithm: "CRC32", Value: []byte(genStr(r))}
		m.Encryption = Encryption{Algorithm: "AES256", KeyMD5: []byte{1}}
	}
	return m
}

func genState(r *rand.Rand) VersionState {
	switch r.IntN(5) {
	case 0:
		return VersionState{Kind: Uploading, Multipart: r.IntN(2) == 0, Meta: genMeta(r)}
	case 1:
		return VersionState{Kind: Aborted}
	case 2:
		return VersionState{Kind: Complete, Data: DeleteMarker}
	case 3:
		return VersionState{Kind: Complete, Data: Inline, Meta: genMeta(r), Inline: []byte(genStr(r))}
	}
	return VersionState{Kind: Complete, Data: FirstBlock, Meta: genMeta(r), Block: genHash(r)}
}

func genObject(r *rand.Rand) Object {
	o := Object{Bucket: UUID{7}, Key: "k"}
	for range r.IntN(4) {
		o = o.Merge(NewObject(o.Bucket, o.Key, ObjectVersion{UUID: genUUID(r), TS: genTS(r), State: genState(r)}))
	}
	return o
}

func genVersion(r *rand.Rand) Version {
	links := []Backlink{ObjectLink(UUID{7}, "k"), UploadLink(UUID{8})}
	v := NewVersion(UUID{5}, links[r.IntN(2)])
	for range r.IntN(3) {
		v = v.WithBlock(genTS(r), genTS(r)*1024, VersionBlock{Hash: genHash(r), Size: genTS(r)})
	}
	if r.IntN(4) == 0 {
		v = v.Merge(DeletedVersion(v.UUID, v.Backlink.V))
	}
	return v
}

func genBlockRef(r *rand.Rand) BlockRef {
	return BlockRef{Block: Hash{1}, Version: UUID{2}, Deleted: crdt.Bool(r.IntN(2) == 0)}
}

func genMPU(r *rand.Rand) MPU {
	m := NewMPU(UUID{4}, genTS(r), UUID{7}, genStr(r))
	for range r.IntN(3) {
		m = m.WithPart(genTS(r), genTS(r), MPUPart{Version: genUUID(r), ETag: genStr(r), Size: genTS(r)})
	}
	if r.IntN(4) == 0 {
		m.Deleted, m.Parts = true, crdt.Map[Pair, MPUPart]{}
	}
	return m
}

func genCounter(r *rand.Rand) Counter {
	c := Counter{Bucket: UUID{3}}
	for range r.IntN(3) {
		c.Nodes = c.Nodes.Put(crdt.String(genStr(r)), genLWW(r, Counts{Objects: int64(r.IntN(3)) - 1, Bytes: int64(genTS(r))}))
	}
	return c
}
