package grade

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/proeftuin/proeftuin/internal/engine"
)

// diskEvery is how often a submission's disk use is measured.
const diskEvery = 2 * time.Second

// diskError is why a submission was stopped: one of its volumes or
// containers grew past the rubric's disk limit.
type diskError struct {
	What  string // "volume grade-ann_data", "container grade-ann-web"
	Bytes int64
	Limit int64
}

func (e *diskError) Error() string {
	return fmt.Sprintf("%s holds %d MiB, more than the rubric's disk limit of %d MiB; the submission was stopped",
		e.What, e.Bytes>>20, e.Limit>>20)
}

// diskMeter shares one engine's measurements among the watchers of all
// submissions on it: Docker refuses a second `system df` while one
// runs, and one measurement of every proeftuin object serves them all.
type diskMeter struct {
	mu  sync.Mutex
	at  time.Time
	use []engine.DiskUse
	err error
}

// usage is the disk use of every instance's objects on eng, measured
// again when the last measurement is older than fresh.
func (m *diskMeter) usage(ctx context.Context, eng engine.DiskMeter, fresh time.Duration) ([]engine.DiskUse, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.at.IsZero() && time.Since(m.at) < fresh {
		return m.use, m.err
	}
	m.use, m.err = eng.DiskUsage(ctx, engine.Instance(""))
	m.at = time.Now()
	return m.use, m.err
}

// watchDisk measures the volumes and containers of instance on eng
// every interval until ctx ends, and calls stop with a *diskError as
// soon as one holds more than limit bytes. Docker's per-container size
// limit (storage-opt size) works only on xfs with project quotas; this
// works on any engine that measures its disk usage (engine.DiskMeter).
// Between two measurements a fast writer can go past the limit by what
// it writes in one interval. A failed measurement is tried again at
// the next tick: it never stops a submission.
func watchDisk(ctx context.Context, eng engine.Engine, meter *diskMeter, instance string, limit int64, every time.Duration, stop context.CancelCauseFunc) {
	dm, ok := eng.(engine.DiskMeter)
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
		use, err := meter.usage(ctx, dm, every/2)
		if err != nil {
			continue
		}
		if e := overLimit(use, instance, limit); e != nil {
			stop(e)
			return
		}
	}
}

// overLimit is instance's largest object past limit, nil when none is.
func overLimit(use []engine.DiskUse, instance string, limit int64) *diskError {
	sort.Slice(use, func(i, j int) bool { return use[i].Kind+use[i].Name < use[j].Kind+use[j].Name })
	var worst *diskError
	for _, u := range use {
		if u.Labels[engine.LabelInstance] != instance || u.Bytes <= limit {
			continue
		}
		if worst == nil || u.Bytes > worst.Bytes {
			worst = &diskError{What: u.Kind + " " + u.Name, Bytes: u.Bytes, Limit: limit}
		}
	}
	return worst
}
