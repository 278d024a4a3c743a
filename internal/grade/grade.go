// Package grade grades a class: every submission of a lab on its own
// isolated instance (grade-<student>), with the teacher's rubric of
// hidden checks and points, and writes a class overview. It is a caller
// of the instance facade (Up, RunPlan, Check, Down through Run and
// Check), never a copy of that orchestration.
package grade

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/connect"
)

// Statuses of a graded submission.
const (
	Passed   = "passed"
	Failed   = "failed"
	Invalid  = "invalid"
	Refused  = "refused"
	TimedOut = "timed_out"
	Error    = "error"
)

// DefaultTimeout bounds one submission when --timeout is not given.
const DefaultTimeout = 15 * time.Minute

// Engine is a named engine (a docker context or host).
type Engine = connect.Named

// Options control Grade.
type Options struct {
	// Engines are where submissions run; each is given at most Parallel
	// at once, and one that fails gets no more (its submissions move).
	Engines []Engine
	Rubric  *config.Rubric
	// Submissions is the folder of hand-ins; Out where the grades go.
	Submissions string
	Out         string
	// Parallel bounds the submissions graded at once on each engine (0:
	// DefaultParallel).
	Parallel int
	// Timeout bounds one submission, from validation to down (0: none).
	Timeout time.Duration
	// Resume keeps the grades in Out of submissions whose hash is
	// unchanged.
	Resume bool
	// Lang is the language of the overview and the reports ("en", "nl").
	Lang string
	// Notice reports one line per submission as it finishes; nil drops it.
	Notice func(string)
	// Config is applied to every submission's load (evaluation limits);
	// Dir is set per submission.
	Config config.Options
	// imageLocks let one bundle at a time load its images into each
	// engine.
	imageLocks []*chanMutex
	// diskMeters share the disk measurements of each engine.
	diskMeters []*diskMeter
	// diskEvery is how often the disk limit is measured (0: diskEvery).
	diskEvery time.Duration
	// now is the clock; tests replace it.
	now func() time.Time
	// loading lets one lab be evaluated at a time: the evaluation limits
	// measure the process's heap, so a hostile lab must not make another
	// one look too large.
	loading *sync.Mutex
}

// Grade grades every submission and writes grades.json, grades.csv,
// overview.html and a folder per student in Out. A submission that could
// not finish because ctx was cancelled is left out of the class (so
// --resume grades it); the class is written with what finished, and the
// error is ctx's.
func Grade(ctx context.Context, o Options) (*Class, error) {
	if o.now == nil {
		o.now = time.Now
	}
	o.loading = &sync.Mutex{}
	subs, err := Collect(o.Submissions)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(o.Out, 0o755); err != nil {
		return nil, err
	}
	class := &Class{Rubric: rubricInfo(o.Rubric), Lang: o.Lang}
	prev := map[string]*Result{}
	if o.Resume {
		prev = previous(o.Out)
	}
	work, err := os.MkdirTemp("", "proeftuin-grade-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(work)

	parallel := o.Parallel
	if parallel <= 0 {
		parallel = DefaultParallel(availableMemory())
	}
	if len(o.Engines) == 0 {
		return nil, errors.New("grade: no engine")
	}
	sched := newScheduler(len(o.Engines), parallel)
	for range o.Engines {
		o.imageLocks = append(o.imageLocks, newChanMutex())
		o.diskMeters = append(o.diskMeters, &diskMeter{})
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, s := range subs {
		if p := prev[s.Student]; p != nil && p.Hash == s.Hash && p.Status != Error {
			p.Resumed = true
			class.add(p)
			// Rendered again: an after_due check may show more by now.
			o.writeReport(class, p)
			continue
		}
		wg.Add(1)
		go func(s *Submission) {
			defer wg.Done()
			r := o.gradeOne(ctx, sched, s, work)
			if r == nil { // interrupted: graded again by --resume
				return
			}
			mu.Lock()
			defer mu.Unlock()
			class.add(r)
			o.writeReport(class, r)
			if err := class.write(o.Out, o.now()); err != nil && o.Notice != nil {
				o.Notice("write the grades: " + err.Error())
			}
			if o.Notice != nil {
				o.Notice(fmt.Sprintf("%-20s %-10s %d/%d", r.Student, r.Status, r.Points, r.MaxPoints))
			}
		}(s)
	}
	wg.Wait()
	class.Warnings = similar(class.Results, "en") // grades.json and the terminal: English, as all CLI text
	if err := class.write(o.Out, o.now()); err != nil {
		return class, err
	}
	if err := ctx.Err(); err != nil {
		return class, err
	}
	return class, nil
}

// gradeOne grades one submission; nil when ctx was cancelled before it
// finished.
func (o *Options) gradeOne(ctx context.Context, sched *scheduler, s *Submission, work string) *Result {
	start := o.now()
	r := &Result{Student: s.Student, Source: filepath.Base(s.Source), Kind: s.Kind, Hash: s.Hash}
	r.MaxPoints = maxPoints(o.Rubric)
	o.evaluate(ctx, sched, s, work, r)
	// The time it took itself, not the time it waited for a slot.
	r.Duration = (o.now().Sub(start) - r.waited).Round(time.Millisecond).Seconds()
	if ctx.Err() != nil {
		return nil
	}
	r.score(o.Rubric)
	return r
}

// writeReport writes r's evaluation report with its feedback; a failure
// is a notice, since the grades themselves are written.
func (o *Options) writeReport(class *Class, r *Result) {
	if err := class.writeReport(o.Out, r, o.now()); err != nil && o.Notice != nil {
		o.Notice(fmt.Sprintf("write the report of %s: %v", r.Student, err))
	}
}
