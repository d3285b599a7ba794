package checker

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name    string
		h       History
		wantErr string
	}{
		{"fine", hist(put(1, "a", 1, 2), unknown(put(2, "b", 3, 0)), get(3, 4, 5, "a")), ""},
		{"duplicate id", hist(put(1, "a", 1, 2), put(1, "b", 3, 4)), "duplicate op id"},
		{"shared stamp", hist(put(1, "a", 1, 3), put(2, "b", 3, 4)), "stamp 3"},
		{"return before call", hist(put(1, "a", 2, 1)), "not after call"},
		{"unknown with return", hist(Op{ID: 1, Kind: KindPut, Outcome: Unknown, Call: 1, Return: 2}), "outcome unknown"},
		{"ok without return", hist(Op{ID: 1, Kind: KindPut, Outcome: OK, Call: 1, Return: Inf}), "outcome ok"},
		{"bad outcome", hist(Op{ID: 1, Kind: KindPut, Outcome: "maybe", Call: 1, Return: 2}), "bad outcome"},
		{"client overlap", hist(put(1, "a", 1, 3), func() Op { o := put(2, "b", 2, 4); o.Client = 1; return o }()), "in flight"},
		{"duplicate value", hist(put(1, "a", 1, 2), put(2, "a", 3, 4)), "written to"},
		{"nemesis stamp clash", History{Ops: []Op{put(1, "a", 1, 2)}, Nemeses: []Nemesis{{Stamp: 2, Kind: "kill"}}}, "stamp 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.h.Validate()
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("got %v, want nil", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("got %v, want an error containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestHistoryRoundTrip(t *testing.T) {
	for seed := uint64(0); seed < 20; seed++ {
		h := simRegister(seed, simConf{workers: 3, steps: 60, keys: 2, pUnknown: 0.2, pFail: 0.1, final: true})
		h.Nemeses = append(h.Nemeses, Nemesis{Stamp: 1000, Kind: "partition", Description: "{n1} | {n2,n3}"})
		var buf bytes.Buffer
		if err := WriteHistory(&buf, h); err != nil {
			t.Fatal(err)
		}
		got, err := ReadHistory(&buf)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, h) {
			t.Fatalf("seed %d: round trip differs:\ngot  %+v\nwant %+v", seed, got, h)
		}
	}
}

func TestReadHistoryFormat(t *testing.T) {
	in := `{"meta":{"seed":"7"}}
{"op":{"id":1,"client":0,"kind":"put","key":"k","value":"v1","ts":5,"outcome":"ok","call":1,"return":2}}

{"nemesis":{"stamp":3,"kind":"partition","desc":"n1 | n2"}}
{"op":{"id":2,"client":1,"kind":"get","key":"k","outcome":"unknown","call":4,"return":"inf","extra":true}}
`
	h, err := ReadHistory(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := History{
		Meta: map[string]string{"seed": "7"},
		Ops: []Op{
			{ID: 1, Client: 0, Kind: KindPut, Key: "k", Value: "v1", TS: TS(5), Outcome: OK, Call: 1, Return: 2},
			{ID: 2, Client: 1, Kind: KindGet, Key: "k", Outcome: Unknown, Call: 4, Return: Inf},
		},
		Nemeses: []Nemesis{{Stamp: 3, Kind: "partition", Description: "n1 | n2"}},
	}
	if !reflect.DeepEqual(h, want) {
		t.Errorf("got %+v, want %+v", h, want)
	}
	for _, bad := range []string{`{"op":{"call":"soon"}}`, `{}`, `not json`} {
		if _, err := ReadHistory(strings.NewReader(bad)); err == nil {
			t.Errorf("ReadHistory(%q): no error", bad)
		}
	}
}

func TestOpNames(t *testing.T) {
	tests := []struct {
		op      Op
		reg     string
		listing OpID
	}{
		{Op{ID: 3, Key: "k"}, "k", 3},
		{Op{ID: 4, Set: "bucket", Key: "a/b", Listing: 2}, "bucket/a/b", 2},
	}
	for _, tt := range tests {
		if got := tt.op.Register(); got != tt.reg {
			t.Errorf("Register() = %q, want %q", got, tt.reg)
		}
		if got := tt.op.ListingID(); got != tt.listing {
			t.Errorf("ListingID() = %v, want %v", got, tt.listing)
		}
	}
}

func TestMarkFinal(t *testing.T) {
	h := hist(put(1, "a", 1, 2), get(2, 3, 4, "a"), get(3, 5, 6, "a"))
	h.MarkFinal(4)
	got := []bool{h.Ops[0].Final, h.Ops[1].Final, h.Ops[2].Final}
	if want := []bool{false, false, true}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestRoleString(t *testing.T) {
	v := DefaultVocabulary()
	tests := []struct {
		kind Kind
		want string
	}{
		{"PutObject", "write|add"}, {"DeleteObject", "delete|remove"}, {"UploadPart", "none"}, {"get", "read"}, {"nope", "none"},
	}
	for _, tt := range tests {
		if got := v.Role(tt.kind).String(); got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.kind, got, tt.want)
		}
	}
}
