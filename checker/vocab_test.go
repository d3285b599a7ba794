package checker

import (
	"os"
	"strings"
	"testing"
)

// TestDocExample parses the history shown in doc.go: it must be valid and
// pass every gate.
func TestDocExample(t *testing.T) {
	src, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(string(src), "\n") {
		if strings.HasPrefix(l, "//\t{") {
			lines = append(lines, strings.TrimPrefix(l, "//\t"))
		}
	}
	h, err := ReadHistory(strings.NewReader(strings.Join(lines, "\n")))
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Ops) != 7 || len(h.Nemeses) != 1 {
		t.Fatalf("parsed %d ops and %d nemeses, want 7 and 1", len(h.Ops), len(h.Nemeses))
	}
	rs, err := CheckAll(h, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if bad := gateFailures(rs); len(bad) > 0 {
		t.Errorf("doc example fails: %v", bad)
	}
}

func s3(id int, kind Kind, key, val string, call, ret Stamp, obs ...string) Op {
	return Op{ID: OpID(id), Client: ClientID(id), Kind: kind, Set: "bucket", Key: key, Value: val,
		Observed: obs, Outcome: OK, Call: call, Return: ret}
}

// TestS3Kinds runs the unchanged checks on S3 operation kinds: PutObject is
// a register write and a set add on its bucket, DeleteObject a delete and a
// remove, ListObjectsV2 pages a listing; multipart parts are ignored.
func TestS3Kinds(t *testing.T) {
	good := hist(
		s3(1, "CreateMultipartUpload", "a.jpg", "", 1, 2),
		s3(2, "UploadPart", "a.jpg", "part1", 3, 4),
		s3(3, "CompleteMultipartUpload", "a.jpg", "etag-a", 5, 6),
		s3(4, "PutObject", "b.txt", "etag-b", 7, 8),
		s3(5, "GetObject", "a.jpg", "", 9, 10, "etag-a"),
		s3(6, "DeleteObject", "b.txt", "", 11, 12),
		s3(7, "HeadObject", "b.txt", "", 13, 14),
		s3(8, "ListObjectsV2", "", "", 15, 16, "a.jpg"),
	)
	tests := []struct {
		name   string
		mutate func(h *History)
		want   map[string][]string
	}{
		{"consistent", func(*History) {}, nil},
		{"stale head after delete", func(h *History) { h.Ops[6].Observed = []string{"etag-b"} },
			map[string][]string{CheckRAW: {"stale-read"}, CheckRAWSweep: {"stale-read"}}},
		{"deleted object listed", func(h *History) { h.Ops[7].Observed = []string{"a.jpg", "b.txt"} },
			map[string][]string{CheckList: {"removed-listed"}}},
		{"completed upload not listed", func(h *History) { h.Ops[7].Observed = nil },
			map[string][]string{CheckList: {"missing"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := History{Ops: append([]Op(nil), good.Ops...)}
			tt.mutate(&h)
			rs, err := CheckAll(h, Options{})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rs {
				if got := rules(r); !r.Canary && !equalStrings(got, append([]string{}, tt.want[r.Name]...)) {
					t.Errorf("%s: got %v, want %v", r.Name, got, tt.want[r.Name])
				}
			}
		})
	}
}

// TestCustomVocabulary plugs in a new kind without touching the checks.
func TestCustomVocabulary(t *testing.T) {
	v := DefaultVocabulary()
	v["InsertItem"] = RoleWrite
	h := hist(put(1, "a", 1, 2), get(2, 3, 4, "a"))
	h.Ops[0].Kind = "InsertItem"
	if res := ReadAfterWrite(h, Options{Vocabulary: v}); !res.OK {
		t.Errorf("with the kind known: %v", res.Violations)
	}
	if res := ReadAfterWrite(h, Options{}); res.OK {
		t.Error("without the kind, the read saw an unwritten value and must fail")
	}
}

func TestCheckAllRejects(t *testing.T) {
	tests := []struct {
		name    string
		op      Op
		wantErr string
	}{
		{"unknown kind", Op{ID: 1, Kind: "Put", Key: "k", Value: "a", Outcome: OK, Call: 1, Return: 2}, "not in the vocabulary"},
		{"write without value", Op{ID: 1, Kind: KindPut, Key: "k", Outcome: OK, Call: 1, Return: 2}, "writes no value"},
	}
	for _, tt := range tests {
		_, err := CheckAll(hist(tt.op), Options{})
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("%s: got %v, want an error containing %q", tt.name, err, tt.wantErr)
		}
	}
}
