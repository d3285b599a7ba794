package sim

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"runtime"
	"testing"
	"time"

	"github.com/gogarage/garage/node/rt"
)

// writeKeys puts key<i> = v<i> for i in [from, to), one transaction each.
func writeKeys(t *testing.T, env rt.Env, from, to int) {
	for i := from; i < to; i++ {
		err := env.KV.Update(func(tx rt.Tx) error {
			return tx.Put("t", fmt.Appendf(nil, "key%02d", i), fmt.Appendf(nil, "v%d", i))
		})
		if err != nil {
			t.Error(err)
		}
	}
}

// keysOf lists the keys of tree t.
func keysOf(env rt.Env) []string {
	var keys []string
	_ = env.KV.View(func(tx rt.ReadTx) error {
		return tx.Scan("t", nil, nil, false, func(k, _ []byte) bool {
			keys = append(keys, string(k))
			return true
		})
	})
	return keys
}

func TestCrashLosesExactlyUnsyncedWrites(t *testing.T) {
	w := New(Config{Seed: 1})
	defer w.Close()
	boots := 0
	w.AddNode("n1", "z1", func(env rt.Env) {
		boots++
		if boots > 1 {
			return
		}
		writeKeys(t, env, 0, 5)
		check(t, env.KV.Sync())
		check(t, env.Files.Write("blk/a", []byte("durable"), true))
		writeKeys(t, env, 5, 10)
		check(t, env.Files.Write("blk/b", []byte("pending"), false))
		env.Tasks.Spawn("waiter", func(ctx context.Context) { _ = env.Clock.Sleep(ctx, time.Hour) })
	})
	must(t, w.RunFor(time.Millisecond))
	if got := len(keysOf(w.Env("n1"))); got != 10 {
		t.Fatalf("before crash: %d keys, want 10", got)
	}
	w.Crash("n1")
	w.Restart("n1")
	must(t, w.RunFor(time.Millisecond))
	env := w.Env("n1")
	got := fmt.Sprint(keysOf(env))
	if want := "[key00 key01 key02 key03 key04]"; got != want {
		t.Errorf("after crash: keys %s, want %s", got, want)
	}
	if data, err := env.Files.Read("blk/a"); err != nil || string(data) != "durable" {
		t.Errorf("synced file: %q, %v", data, err)
	}
	if _, err := env.Files.Read("blk/b"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("unsynced file after crash: err %v, want fs.ErrNotExist", err)
	}
	if boots != 2 {
		t.Errorf("boot ran %d times, want 2", boots)
	}
}

func TestSyncOnCommitSurvivesCrash(t *testing.T) {
	w := New(Config{Seed: 1, SyncOnCommit: true})
	defer w.Close()
	w.AddNode("n1", "z1", func(env rt.Env) {})
	writeKeys(t, w.Env("n1"), 0, 3)
	w.Crash("n1")
	w.Restart("n1")
	if got := len(keysOf(w.Env("n1"))); got != 3 {
		t.Errorf("after crash with sync-on-commit: %d keys, want 3", got)
	}
}

func TestCrashUnwindsTasksAndRunsDefers(t *testing.T) {
	w := New(Config{Seed: 2})
	defer w.Close()
	var deferred, after []string
	w.AddNode("n1", "z1", func(env rt.Env) {
		for _, name := range []string{"sleeper", "waiter", "caller"} {
			env.Tasks.Spawn(name, func(ctx context.Context) {
				defer func() { deferred = append(deferred, name) }()
				blockIn(ctx, env, name)
				after = append(after, name)
			})
		}
	})
	w.AddNode("n2", "z1", func(env rt.Env) {
		env.Net.Handle("slow", func(ctx context.Context, _ rt.NodeID, _ []byte) ([]byte, error) {
			return nil, env.Clock.Sleep(ctx, time.Hour)
		})
	})
	w.At(10*time.Millisecond, "crash", func() { w.Crash("n1") })
	must(t, w.Run())
	if len(deferred) != 3 || len(after) != 0 {
		t.Errorf("deferred %v (want all 3), ran past the blocking point %v (want none)", deferred, after)
	}
	if w.Up("n1") {
		t.Error("n1 up after crash")
	}
}

// blockIn parks the task in a blocking point picked by kind.
func blockIn(ctx context.Context, env rt.Env, kind string) {
	switch kind {
	case "sleeper":
		_ = env.Clock.Sleep(ctx, time.Hour)
	case "waiter":
		_ = env.Tasks.NewEvent().Wait(context.Background())
	case "caller":
		_, _ = env.Net.Call(ctx, "n2", "slow", nil, rt.CallOpts{Timeout: time.Hour})
	}
}

func TestForeignCallThroughCrashedNodeIsUnreachable(t *testing.T) {
	w := New(Config{Seed: 3})
	defer w.Close()
	w.AddNode("n1", "z1", func(env rt.Env) {})
	w.AddNode("n2", "z1", func(env rt.Env) {
		env.Net.Handle("slow", func(ctx context.Context, _ rt.NodeID, _ []byte) ([]byte, error) {
			return nil, env.Clock.Sleep(ctx, time.Second)
		})
	})
	var during, afterCrash error
	var returned time.Duration
	w.Go("client", func(ctx context.Context) {
		_, during = w.Env("n1").Net.Call(ctx, "n2", "slow", nil, rt.CallOpts{})
		returned = w.Now()
		_, afterCrash = w.Env("n1").Net.Call(ctx, "n2", "slow", nil, rt.CallOpts{})
	})
	w.At(100*time.Millisecond, "crash", func() { w.Crash("n1") })
	must(t, w.Run())
	if !errors.Is(during, rt.ErrUnreachable) || !errors.Is(afterCrash, rt.ErrUnreachable) {
		t.Errorf("calls through crashed node: %v, %v; want rt.ErrUnreachable", during, afterCrash)
	}
	if returned != 100*time.Millisecond {
		t.Errorf("pending call returned at %v, want at the crash (100ms)", returned)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// check reports err without stopping the goroutine: for use inside sim
// tasks, where t.Fatal must not be called.
func check(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Error(err)
	}
}

func TestFsyncLatencyAndCrashDuringSync(t *testing.T) {
	w := New(Config{Seed: 4, FsyncLatency: 5 * time.Millisecond})
	defer w.Close()
	var synced []time.Duration
	w.AddNode("n1", "z1", func(env rt.Env) {
		if len(synced) > 0 {
			return // restarted: only look
		}
		env.Tasks.Spawn("writer", func(ctx context.Context) {
			for i := range 3 {
				writeKeys(t, env, i, i+1)
				if env.KV.Sync() == nil {
					synced = append(synced, w.Now())
				}
			}
		})
	})
	w.At(12*time.Millisecond, "crash", func() { w.Crash("n1") })
	w.At(20*time.Millisecond, "restart", func() { w.Restart("n1") })
	must(t, w.Run())
	if fmt.Sprint(synced) != "[5ms 10ms]" {
		t.Errorf("syncs returned at %v, want [5ms 10ms]", synced)
	}
	if got := fmt.Sprint(keysOf(w.Env("n1"))); got != "[key00 key01]" {
		t.Errorf("after crash mid-sync: keys %s, want [key00 key01]", got)
	}
}

// TestForeignQuorumWaitEndsAtCrash has a world task run a quorum through a
// node's Env; the node crashes mid-way, unwinding the quorum's call tasks.
func TestForeignQuorumWaitEndsAtCrash(t *testing.T) {
	w := New(Config{Seed: 6})
	defer w.Close()
	w.AddNode("n1", "z1", func(env rt.Env) {})
	var err error
	var at time.Duration
	w.Go("client", func(ctx context.Context) {
		env := w.Env("n1")
		_, err = rt.Quorum(ctx, env.Tasks, 3, 2, func(ctx context.Context, i int) (int, error) {
			return i, env.Clock.Sleep(ctx, time.Hour)
		}, nil)
		at = w.Now()
	})
	w.At(time.Second, "crash", func() { w.Crash("n1") })
	must(t, w.Run())
	if !errors.Is(err, rt.ErrUnreachable) || at != time.Second {
		t.Errorf("quorum through crashed node: %v at %v, want rt.ErrUnreachable at 1s", err, at)
	}
}

// TestGoexitEndsOnlyTheTask checks that a task calling runtime.Goexit (as
// t.FailNow does) ends that task alone: the run and the other tasks go on.
func TestGoexitEndsOnlyTheTask(t *testing.T) {
	w := New(Config{Seed: 3})
	defer w.Close()
	deferred, after := false, false
	w.Go("quitter", func(ctx context.Context) {
		defer func() { deferred = true }()
		_ = w.Sleep(ctx, time.Millisecond)
		runtime.Goexit()
	})
	w.Go("survivor", func(ctx context.Context) {
		_ = w.Sleep(ctx, time.Second)
		after = true
	})
	if err := w.Run(); err != nil {
		t.Fatal(err)
	}
	if got, want := [2]bool{deferred, after}, [2]bool{true, true}; got != want {
		t.Errorf("deferred, survivor finished = %v, want %v", got, want)
	}
}
