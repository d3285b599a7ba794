package model

import (
	"fmt"
	"testing"
)

func ver(u byte, ts uint64, s VersionState) ObjectVersion {
	return ObjectVersion{UUID: UUID{u}, TS: ts, State: s}
}

var (
	uploading = VersionState{Kind: Uploading}
	multipart = VersionState{Kind: Uploading, Multipart: true}
	aborted   = VersionState{Kind: Aborted}
	marker    = VersionState{Kind: Complete, Data: DeleteMarker}
)

func inline(data string) VersionState {
	return VersionState{Kind: Complete, Data: Inline, Meta: Meta{Size: uint64(len(data))}, Inline: []byte(data)}
}

func obj(vs ...ObjectVersion) Object {
	o := Object{Bucket: UUID{1}, Key: "k"}
	for _, v := range vs {
		o = o.Merge(NewObject(o.Bucket, o.Key, v))
	}
	return o
}

// uuids lists the first byte of each version id, in order.
func uuids(o Object) string {
	s := ""
	for _, v := range o.Versions {
		s += fmt.Sprintf("%d%s ", v.UUID[0], v.State.Kind.String()[:1])
	}
	return s
}

func TestObjectMerge(t *testing.T) {
	cases := []struct {
		name                    string
		o                       Object
		versions                string
		visible                 byte // 0: none
		tomb                    bool
		objects, bytes, uploads int64
	}{
		{"newer complete drops older", obj(ver(1, 1, inline("a")), ver(2, 2, inline("bb"))), "2c ", 2, false, 1, 2, 0},
		{"older complete arriving late is dropped", obj(ver(2, 2, inline("bb")), ver(1, 1, inline("a"))), "2c ", 2, false, 1, 2, 0},
		{"upload after complete is kept", obj(ver(1, 1, inline("a")), ver(2, 2, uploading)), "1c 2u ", 1, false, 1, 1, 0},
		{"upload before complete is dropped", obj(ver(1, 1, uploading), ver(2, 2, inline("a"))), "2c ", 2, false, 1, 1, 0},
		{"abort keeps the visible version", obj(ver(1, 1, inline("a")), ver(2, 2, uploading), ver(2, 2, aborted)), "1c 2a ", 1, false, 1, 1, 0},
		{"completion is final", obj(ver(2, 2, inline("a")), ver(2, 2, aborted)), "2c ", 2, false, 1, 1, 0},
		{"delete marker hides", obj(ver(1, 1, inline("a")), ver(2, 2, marker)), "2c ", 0, true, 0, 0, 0},
		{"only aborted is a tombstone", obj(ver(1, 1, uploading), ver(1, 1, aborted)), "1a ", 0, true, 0, 0, 0},
		{"multipart uploads count", obj(ver(1, 1, multipart), ver(2, 2, multipart)), "1u 2u ", 0, false, 0, 0, 2},
	}
	for _, c := range cases {
		v, ok := c.o.Visible()
		got := Counts{}
		got = c.o.Counts()
		if uuids(c.o) != c.versions || (ok && v.UUID[0] != c.visible) || (!ok && c.visible != 0) ||
			c.o.IsTombstone() != c.tomb || got != (Counts{c.objects, c.bytes, c.uploads}) {
			t.Errorf("%s: versions %q visible %v/%v tombstone %v counts %+v; want %q %v %v %v",
				c.name, uuids(c.o), ok, v.UUID[0], c.o.IsTombstone(), got, c.versions, c.visible, c.tomb,
				Counts{c.objects, c.bytes, c.uploads})
		}
	}
}

func TestVersionDeletionForgetsBlocks(t *testing.T) {
	v := NewVersion(UUID{1}, ObjectLink(UUID{2}, "k")).WithBlock(0, 0, VersionBlock{Hash: Hash{3}, Size: 10})
	v = v.WithBlock(0, 10, VersionBlock{Hash: Hash{4}, Size: 5})
	if got := len(v.BlockList()); got != 2 {
		t.Fatalf("%d blocks, want 2", got)
	}
	d := v.Merge(DeletedVersion(v.UUID, v.Backlink.V)).WithBlock(0, 15, VersionBlock{Hash: Hash{5}})
	d = d.Merge(d)
	if !bool(d.Deleted) || len(d.BlockList()) != 0 {
		t.Errorf("deleted version: deleted %v, %d blocks; want true, 0", d.Deleted, len(d.BlockList()))
	}
}

func TestLatestParts(t *testing.T) {
	m := NewMPU(UUID{1}, 5, UUID{2}, "k").
		WithPart(2, 10, MPUPart{Version: UUID{3}, ETag: "e1", Size: 1}).
		WithPart(2, 20, MPUPart{Version: UUID{4}, ETag: "e2", Size: 2}).
		WithPart(2, 30, MPUPart{Version: UUID{5}}). // still uploading
		WithPart(1, 40, MPUPart{Version: UUID{6}, ETag: "e3", Size: 3})
	got := fmt.Sprint(m.LatestParts())
	want := fmt.Sprint([]Part{{1, 40, MPUPart{UUID{6}, "e3", 3}}, {2, 20, MPUPart{UUID{4}, "e2", 2}}})
	if got != want {
		t.Errorf("latest parts %s, want %s", got, want)
	}
}
