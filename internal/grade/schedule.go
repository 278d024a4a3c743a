package grade

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sort"
	"sync"

	"github.com/proeftuin/proeftuin/internal/config"
)

// scheduler places submissions on engines: at most slots at once on
// each, never two that claim the same resource of one engine (a literal
// subnet, a host port), and none on an engine that failed.
type scheduler struct {
	mu      sync.Mutex
	slots   int
	engines []*engineSlots
	changed chan struct{}
}

type engineSlots struct {
	running int
	held    map[string]bool
	failed  bool
}

// errNoEngine: every engine failed.
var errNoEngine = errors.New("every engine failed")

func newScheduler(engines, slots int) *scheduler {
	if slots < 1 {
		slots = 1
	}
	s := &scheduler{slots: slots, changed: make(chan struct{})}
	for i := 0; i < engines; i++ {
		s.engines = append(s.engines, &engineSlots{held: map[string]bool{}})
	}
	return s
}

// acquire waits for an engine with a free slot on which every key is
// free, takes them there and returns the engine's index; release gives
// them back. The least busy engine that fits is chosen. It returns ctx's
// error when cancelled while waiting, errNoEngine when every engine failed.
func (s *scheduler) acquire(ctx context.Context, keys []string) (int, func(), error) {
	for {
		s.mu.Lock()
		best, alive := -1, false
		for i, e := range s.engines {
			if e.failed {
				continue
			}
			alive = true
			if e.running < s.slots && e.free(keys) && (best < 0 || e.running < s.engines[best].running) {
				best = i
			}
		}
		if !alive {
			s.mu.Unlock()
			return -1, nil, errNoEngine
		}
		if best >= 0 {
			e := s.engines[best]
			e.running++
			for _, k := range keys {
				e.held[k] = true
			}
			s.mu.Unlock()
			var once sync.Once
			return best, func() { once.Do(func() { s.release(best, keys) }) }, nil
		}
		wait := s.changed
		s.mu.Unlock()
		select {
		case <-ctx.Done():
			return -1, nil, ctx.Err()
		case <-wait:
		}
	}
}

func (e *engineSlots) free(keys []string) bool {
	for _, k := range keys {
		if e.held[k] {
			return false
		}
	}
	return true
}

func (s *scheduler) release(i int, keys []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.engines[i]
	e.running--
	for _, k := range keys {
		delete(e.held, k)
	}
	s.wake()
}

// fail takes engine i out of the schedule: nothing more is placed there.
func (s *scheduler) fail(i int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.engines[i].failed = true
	s.wake()
}

func (s *scheduler) wake() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// conflictKeys are what env claims on the engine beyond its own
// instance: every literal subnet and every published host port. Two
// submissions sharing a key cannot run at the same time on one engine.
func conflictKeys(env *config.Environment) []string {
	set := map[string]bool{}
	for _, n := range env.Networks {
		if !n.AutoSubnet && n.Subnet != "" {
			set["subnet "+n.Subnet] = true
		}
	}
	for _, s := range env.Services {
		for _, p := range s.Ports {
			if p.Host != 0 {
				proto := p.Protocol
				if proto == "" {
					proto = "tcp"
				}
				set[fmt.Sprintf("port %d/%s", p.Host, proto)] = true
			}
		}
	}
	keys := make([]string, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// DefaultParallel is how many submissions run at once on an engine by
// default: two per core, since a graded lab mostly waits (readiness,
// checks, stop grace) rather than computes, and at most one per 512 MiB
// of available memory; at least one.
func DefaultParallel(memBytes int64) int {
	n := 2 * runtime.NumCPU()
	if memBytes > 0 {
		if m := int(memBytes / (512 << 20)); m < n {
			n = m
		}
	}
	if n < 1 {
		n = 1
	}
	return n
}
