package config

import (
	"runtime/metrics"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/hashicorp/hcl/v2"
)

// guard bounds the memory an evaluation may take. HCL has no evaluation
// budget, so a few lines can ask for terabytes: a chain of locals that
// each double the one before, or for expressions nested over large lists.
// The guard samples the heap while Load runs; once it has grown by more
// than the limit, every further evaluation is refused, and Load reports
// the expression that was being evaluated. An expression that never
// returns cannot be interrupted from outside: after a grace period the
// guard hands the diagnostic to Options.OnStuck (the CLI prints it and
// exits), so the process never grows without bound.
type guard struct {
	limit   uint64
	timeout time.Duration
	slow    atomic.Bool               // tripped by the time limit, not the memory limit
	current atomic.Pointer[hcl.Range] // the expression being evaluated
	tripped atomic.Pointer[hcl.Range] // where the limit was exceeded
	done    chan struct{}
	stopped chan struct{}
}

// guardPoll is how often the guard samples the heap; guardGrace is how
// long it waits for Load to return once the limit is exceeded.
const (
	guardPoll  = 5 * time.Millisecond
	guardGrace = 300 * time.Millisecond
)

func heapBytes(s []metrics.Sample) uint64 {
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}

// startGuard starts sampling; stop ends it. A zero limit or timeout is
// no bound; onStuck may be nil.
func startGuard(limit uint64, timeout time.Duration, onStuck func(hcl.Diagnostics)) *guard {
	g := &guard{limit: limit, timeout: timeout, done: make(chan struct{}), stopped: make(chan struct{})}
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	base := heapBytes(s)
	start := time.Now()
	go func() {
		defer close(g.stopped)
		t := time.NewTicker(guardPoll)
		defer t.Stop()
		for {
			select {
			case <-g.done:
				return
			case <-t.C:
			}
			switch {
			case g.timeout > 0 && time.Since(start) > g.timeout:
				g.slow.Store(true)
			case g.limit > 0 && heapBytes(s) > base+g.limit:
			default:
				continue
			}
			rng := g.current.Load()
			if rng == nil {
				rng = &hcl.Range{}
			}
			g.tripped.Store(rng)
			select {
			case <-g.done:
				return
			case <-time.After(guardGrace):
			}
			if onStuck != nil {
				onStuck(hcl.Diagnostics{g.diagnostic()})
			}
			return
		}
	}()
	return g
}

func (g *guard) stop() {
	close(g.done)
	<-g.stopped
}

// enter records expr as being evaluated and reports whether evaluation
// may go on.
func (g *guard) enter(expr hcl.Expression) bool {
	if g == nil {
		return true
	}
	if g.tripped.Load() != nil {
		return false
	}
	r := expr.Range()
	g.current.Store(&r)
	return true
}

func (g *guard) diagnostic() *hcl.Diagnostic {
	rng := g.tripped.Load()
	took := "more than " + mib(g.limit) + " of memory"
	if g.slow.Load() {
		took = "longer than " + g.timeout.String()
	}
	d := &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Value too large",
		Detail: "Evaluating the configuration took " + took + ", here or in what this expression uses. " +
			"Look for a value that grows without bound: a local that joins another local with itself, a for expression over large lists inside another one, or a very large file().",
	}
	if rng != nil && rng.Filename != "" {
		d.Subject = rng
	}
	return d
}

func mib(n uint64) string {
	return strconv.FormatUint(n>>20, 10) + " MiB"
}
