package grade

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/proeftuin/proeftuin/internal/engine"
)

// diskEvery is how often a submission's disk use is measured.
const diskEvery = 2 * time.Second

// diskError is why a submission was stopped: one of its volumes or
// containers grew past the rubric's disk limit.
type diskError struct {
	What  string // "volume grade-ann-data", "container grade-ann-web"
	Bytes int64
	Limit int64
}

func (e *diskError) Error() string {
	return fmt.Sprintf("%s holds %d MiB, more than the rubric's disk limit of %d MiB; the submission was stopped",
		e.What, e.Bytes>>20, e.Limit>>20)
}

// watchDisk measures the volumes and containers of instance on eng
// every interval until ctx ends, and calls stop with a *diskError as
// soon as one holds more than limit bytes. Docker's per-container size
// limit (storage-opt size) works only on xfs with project quotas; this
// works on any engine that measures its disk usage (engine.DiskMeter).
// Between two measurements a fast writer can go past the limit by what
// it writes in one interval. A failed measurement is tried again at
// the next tick: it never stops a submission.
func watchDisk(ctx context.Context, eng engine.Engine, instance string, limit int64, every time.Duration, stop context.CancelCauseFunc) {
	meter, ok := eng.(engine.DiskMeter)
	if !ok || limit <= 0 {
		return
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		use, err := meter.DiskUsage(ctx, engine.Instance(instance))
		if err != nil {
			continue
		}
		if e := overLimit(use, limit); e != nil {
			stop(e)
			return
		}
	}
}

// overLimit is the largest object of use past limit, nil when none is.
func overLimit(use map[string]int64, limit int64) *diskError {
	names := make([]string, 0, len(use))
	for n := range use {
		names = append(names, n)
	}
	sort.Strings(names)
	var worst *diskError
	for _, n := range names {
		if b := use[n]; b > limit && (worst == nil || b > worst.Bytes) {
			worst = &diskError{What: n, Bytes: b, Limit: limit}
		}
	}
	return worst
}
