package boltkv

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/gogarage/garage/node/rt"
)

// crashEnv carries the database path to the writer child process.
const crashEnv = "BOLTKV_CRASH_DB"

// crashWriters is the number of goroutines of the writer child: their
// updates are committed in groups.
const crashWriters = 4

// TestCrashWriter is the child of TestKillDuringWritesLosesNoAck: it writes
// keys forever with fsync on, from crashWriters goroutines (writer w
// writes the keys i = w mod crashWriters), and prints each one once
// Update returned.
func TestCrashWriter(t *testing.T) {
	path := os.Getenv(crashEnv)
	if path == "" {
		t.Skip("runs only as a child of TestKillDuringWritesLosesNoAck")
	}
	db, err := Open(path, Options{Fsync: true})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	out := bufio.NewWriter(os.Stdout)
	var wg sync.WaitGroup
	for w := range crashWriters {
		wg.Go(func() {
			for i := w; ; i += crashWriters {
				k, v := crashKV(i)
				if err := db.Update(func(tx rt.Tx) error { return tx.Put("crash", k, v) }); err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				fmt.Fprintf(out, "ack %d\n", i)
				out.Flush()
				mu.Unlock()
			}
		})
	}
	wg.Wait()
}

// crashKV is the i-th key and value the writer stores; values vary in size
// so that pages split and the file grows.
func crashKV(i int) (k, v []byte) {
	k = fmt.Appendf(nil, "key-%08d", i)
	return k, []byte(strings.Repeat(strconv.Itoa(i), 1+i%300))
}

// TestKillDuringWritesLosesNoAck kills a writer with SIGKILL in the middle
// of its concurrent writes and checks that every acknowledged write is
// there after reopening.
func TestKillDuringWritesLosesNoAck(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db")
	for round := range 3 {
		acked := runAndKill(t, path, 100+round*150)
		db, err := Open(path, Options{Fsync: true})
		if err != nil {
			t.Fatalf("round %d: reopen after kill: %v", round, err)
		}
		for _, i := range acked {
			k, want := crashKV(i)
			if got := getCopy(t, db, "crash", string(k)); string(got) != string(want) {
				t.Fatalf("round %d: acknowledged write %d lost or wrong: got %d bytes, want %d", round, i, len(got), len(want))
			}
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// runAndKill starts the writer on path, kills it once it acknowledged n
// writes (or more: it keeps going until the signal lands) and returns the
// acknowledged indexes.
func runAndKill(t *testing.T, path string, n int) []int {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashWriter$")
	cmd.Env = append(os.Environ(), crashEnv+"="+path)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var acked []int
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if s, ok := strings.CutPrefix(sc.Text(), "ack "); ok {
			i, _ := strconv.Atoi(s)
			acked = append(acked, i)
		}
		if len(acked) == n {
			if err := cmd.Process.Kill(); err != nil {
				t.Fatalf("kill writer: %v", err)
			}
		}
	}
	_ = cmd.Wait() // killed: the error is expected
	if len(acked) < n {
		t.Fatalf("writer stopped after %d acks, before the kill", len(acked))
	}
	return acked
}
