package poll

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestUntil(t *testing.T) {
	boom := errors.New("boom")
	cases := []struct {
		name         string
		answers      []Attempt // the last one repeats
		timeout      time.Duration
		wantAttempts int
		wantMet      bool
		wantTimedOut bool
	}{
		{"met at once", []Attempt{{Met: true}}, time.Second, 1, true, false},
		{"met on the third", []Attempt{{}, {}, {Met: true}}, time.Second, 3, true, false},
		{"final stops", []Attempt{{}, {Final: true}}, time.Second, 2, false, false},
		{"hard error stops", []Attempt{{Err: boom}}, time.Second, 1, false, false},
		{"transient error retries", []Attempt{{Err: Transient(boom)}, {Met: true}}, time.Second, 2, true, false},
		{"never met times out", []Attempt{{}}, 150 * time.Millisecond, 0, false, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := 0
			r := Until(context.Background(), time.Now().Add(c.timeout), Schedule{Interval: 50 * time.Millisecond, Fast: 5 * time.Millisecond, FastFor: time.Second},
				func(context.Context, time.Duration) Attempt {
					a := c.answers[min(n, len(c.answers)-1)]
					n++
					return a
				})
			if c.wantAttempts > 0 && r.Attempts != c.wantAttempts {
				t.Errorf("attempts %d, want %d", r.Attempts, c.wantAttempts)
			}
			if r.Last.Met != c.wantMet || r.TimedOut != c.wantTimedOut {
				t.Errorf("met %v timed out %v, want %v %v", r.Last.Met, r.TimedOut, c.wantMet, c.wantTimedOut)
			}
		})
	}
}

// TestUntilPollsFastFirst: during FastFor the pause is Fast, later Interval.
func TestUntilPollsFastFirst(t *testing.T) {
	s := Schedule{Interval: 100 * time.Millisecond, Fast: 10 * time.Millisecond, FastFor: time.Second}
	if got := s.next(0); got != 10*time.Millisecond {
		t.Errorf("first pause %s", got)
	}
	if got := s.next(2 * time.Second); got != 100*time.Millisecond {
		t.Errorf("late pause %s", got)
	}
	n := 0
	start := time.Now()
	r := Until(context.Background(), start.Add(5*time.Second), s, func(context.Context, time.Duration) Attempt {
		n++
		return Attempt{Met: n == 10}
	})
	if !r.Last.Met || time.Since(start) > 500*time.Millisecond {
		t.Errorf("ten fast tries took %s (met %v)", time.Since(start), r.Last.Met)
	}
}

func TestUntilInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	r := Until(ctx, time.Now().Add(time.Minute), Steady(time.Hour), func(context.Context, time.Duration) Attempt {
		cancel()
		return Attempt{}
	})
	if !errors.Is(r.Interrupted, context.Canceled) || r.Attempts != 1 {
		t.Errorf("result %+v", r)
	}
}
