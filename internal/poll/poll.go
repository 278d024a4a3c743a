// Package poll is the one loop behind readiness probes (internal/apply)
// and checks (internal/check): try something until it meets its
// expectation, gives an answer that waiting cannot change, or the
// deadline passes.
package poll

import (
	"context"
	"errors"
	"time"
)

// Attempt is the outcome of one try.
type Attempt struct {
	Met    bool
	Actual string // short text for a report: "HTTP 503", "connection refused"
	Detail string
	// Err means the try could not be evaluated. A Transient one is tried
	// again while time remains; any other ends the loop at once.
	Err error
	// Final ends the loop: the state cannot change by waiting.
	Final bool
}

// Schedule is when tries are made: at once, then every Fast during the
// first FastFor, then every Interval. Most targets that become ready at all
// do so within a second of starting, and a dependency chain pays the gap
// between readiness and its discovery once per hop.
type Schedule struct {
	Interval time.Duration
	Fast     time.Duration // 0: Interval throughout
	FastFor  time.Duration
}

// Steady is a schedule of one interval.
func Steady(interval time.Duration) Schedule { return Schedule{Interval: interval} }

// next is the pause after a try made elapsed into the loop.
func (s Schedule) next(elapsed time.Duration) time.Duration {
	if s.Fast > 0 && s.Fast < s.Interval && elapsed < s.FastFor {
		return s.Fast
	}
	return s.Interval
}

// Result is how the loop ended.
type Result struct {
	Last     Attempt
	Attempts int
	// Interrupted is ctx's error when the caller's context ended the loop.
	Interrupted error
	// TimedOut reports that the deadline passed with the expectation unmet.
	TimedOut bool
}

// MinAttempt is the least time one try is offered, even past the deadline.
const MinAttempt = 500 * time.Millisecond

// Until calls try until it meets its expectation, fails finally or with a
// non-transient error, the deadline passes, or ctx ends. try gets the time
// left (at least MinAttempt) as a bound for its own work.
func Until(ctx context.Context, deadline time.Time, s Schedule, try func(ctx context.Context, left time.Duration) Attempt) Result {
	start := time.Now()
	var r Result
	for {
		left := time.Until(deadline)
		if left < MinAttempt {
			left = MinAttempt
		}
		a := try(ctx, left)
		r.Attempts++
		r.Last = a
		switch {
		case a.Err != nil && !IsTransient(a.Err):
			return r
		case a.Err == nil && a.Met:
			return r
		case a.Err == nil && a.Final:
			return r
		}
		if err := ctx.Err(); err != nil {
			r.Interrupted = err
			return r
		}
		pause := s.next(time.Since(start))
		if time.Until(deadline) < pause {
			r.TimedOut = true
			return r
		}
		t := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			t.Stop()
			r.Interrupted = ctx.Err()
			return r
		case <-t.C:
		}
	}
}

// transientError marks an evaluation problem that waiting may cure, such
// as a service container that is not running yet.
type transientError struct{ error }

func (e transientError) Unwrap() error { return e.error }

// Transient marks err as one that waiting may cure; nil stays nil.
func Transient(err error) error {
	if err == nil {
		return nil
	}
	return transientError{err}
}

// IsTransient reports whether err was marked by Transient.
func IsTransient(err error) bool {
	var t transientError
	return errors.As(err, &t)
}
