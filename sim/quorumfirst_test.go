package sim

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/gogarage/garage/node/rt"
)

// TestQuorumFirst drives rt.QuorumFirst in virtual time with calls that
// answer after a set delay (0: never), failing or not, and checks which
// calls start, when the caller returns and what rest receives.
func TestQuorumFirst(t *testing.T) {
	const never = time.Duration(0)
	type call struct {
		after time.Duration
		fail  bool
	}
	s := time.Second
	for _, tc := range []struct {
		name        string
		calls       []call
		k           int
		hedge       time.Duration
		wantStarted []int
		wantAt      time.Duration // when QuorumFirst returns
		wantErr     bool
		wantRest    int // results rest receives; -1: rest never runs
	}{
		{"quorum of the first k", []call{{1 * s, false}, {2 * s, false}, {3 * s, false}}, 2, 10 * s,
			[]int{0, 1}, 2 * s, false, 2},
		{"a failure starts the next", []call{{1 * s, true}, {2 * s, false}, {1 * s, false}}, 2, 10 * s,
			[]int{0, 1, 2}, 2 * s, false, 3},
		{"the hedge starts the rest", []call{{never, false}, {1 * s, false}, {1 * s, false}}, 2, 5 * s,
			[]int{0, 1, 2}, 6 * s, false, -1},
		{"no hedge: every call at once", []call{{never, false}, {1 * s, false}, {2 * s, false}}, 2, 0,
			[]int{0, 1, 2}, 2 * s, false, -1},
		{"too many failures", []call{{1 * s, true}, {2 * s, true}, {3 * s, false}}, 2, 10 * s,
			[]int{0, 1, 2}, 2 * s, true, 3},
		{"more failures than hedge", []call{{1 * s, true}, {1 * s, true}, {1 * s, false}, {1 * s, false}}, 2, 10 * s,
			[]int{0, 1, 2, 3}, 2 * s, false, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w, env := oneNode(t)
			var started []int
			var got []rt.Result[int]
			var err error
			var at time.Duration
			rest := -1
			w.Go("reader", func(ctx context.Context) {
				got, err = rt.QuorumFirst(ctx, env.Tasks, len(tc.calls), tc.k, tc.hedge,
					func(i int, done func(int, error)) {
						started = append(started, i)
						c := tc.calls[i]
						if c.after == never {
							return
						}
						env.Tasks.Spawn("call", func(ctx context.Context) {
							if env.Clock.Sleep(ctx, c.after) != nil {
								return
							}
							if c.fail {
								done(0, errors.New("planted failure"))
								return
							}
							done(i, nil)
						})
					},
					func(all []rt.Result[int]) { rest = len(all) })
				at = w.Now()
			})
			must(t, w.Run())
			if !slices.Equal(started, tc.wantStarted) {
				t.Errorf("started %v, want %v", started, tc.wantStarted)
			}
			if at != tc.wantAt {
				t.Errorf("returned at %v, want %v", at, tc.wantAt)
			}
			var qe *rt.QuorumError
			if tc.wantErr != errors.As(err, &qe) {
				t.Errorf("err = %v, want a QuorumError: %v", err, tc.wantErr)
			}
			if !tc.wantErr && (err != nil || len(got) < tc.k) {
				t.Errorf("got %v, %v; want %d results", got, err, tc.k)
			}
			if rest != tc.wantRest {
				t.Errorf("rest received %d results, want %d", rest, tc.wantRest)
			}
		})
	}
}

// TestQuorumFirstCancel checks that a caller whose context ends returns
// its error at once, and that rest still runs once the calls started have
// finished, without starting the others.
func TestQuorumFirstCancel(t *testing.T) {
	w, env := oneNode(t)
	var started []int
	var err error
	var at, restAt time.Duration
	w.Go("reader", func(ctx context.Context) {
		ctx, cancel := env.Tasks.WithTimeout(ctx, 2*time.Second)
		defer cancel()
		_, err = rt.QuorumFirst(ctx, env.Tasks, 3, 2, time.Hour,
			func(i int, done func(int, error)) {
				started = append(started, i)
				env.Tasks.Spawn("call", func(ctx context.Context) {
					_ = env.Clock.Sleep(ctx, 5*time.Second)
					done(i, nil)
				})
			},
			func([]rt.Result[int]) { restAt = w.Now() })
		at = w.Now()
	})
	must(t, w.Run())
	if !errors.Is(err, context.DeadlineExceeded) || at != 2*time.Second {
		t.Errorf("QuorumFirst = %v at %v, want DeadlineExceeded at 2s", err, at)
	}
	if !slices.Equal(started, []int{0, 1}) || restAt != 5*time.Second {
		t.Errorf("started %v, rest at %v; want [0 1] and 5s", started, restAt)
	}
}
