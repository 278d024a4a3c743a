package grade

import (
	"context"
	"fmt"
	"runtime"
	"sort"
	"sync"

	"github.com/proeftuin/proeftuin/internal/config"
)

// scheduler admits at most slots submissions at once, and never two that
// claim the same resource of the engine (a literal subnet, a host port).
type scheduler struct {
	mu      sync.Mutex
	slots   int
	running int
	held    map[string]bool
	changed chan struct{}
}

func newScheduler(slots int) *scheduler {
	if slots < 1 {
		slots = 1
	}
	return &scheduler{slots: slots, held: map[string]bool{}, changed: make(chan struct{})}
}

// acquire waits for a free slot and for every key to be free, then takes
// them; release gives them back. It returns ctx's error when cancelled
// while waiting.
func (s *scheduler) acquire(ctx context.Context, keys []string) (release func(), err error) {
	for {
		s.mu.Lock()
		if s.running < s.slots && s.free(keys) {
			s.running++
			for _, k := range keys {
				s.held[k] = true
			}
			s.mu.Unlock()
			var once sync.Once
			return func() { once.Do(func() { s.release(keys) }) }, nil
		}
		wait := s.changed
		s.mu.Unlock()
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-wait:
		}
	}
}

func (s *scheduler) free(keys []string) bool {
	for _, k := range keys {
		if s.held[k] {
			return false
		}
	}
	return true
}

func (s *scheduler) release(keys []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.running--
	for _, k := range keys {
		delete(s.held, k)
	}
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

// DefaultParallel is how many submissions run at once by default: one per
// core, at most one per 1 GiB of memory (memory is the rubric's per
// container cap times a few containers; a safe guess without it), and at
// least one.
func DefaultParallel(memBytes int64) int {
	n := runtime.NumCPU()
	if memBytes > 0 {
		if m := int(memBytes / (1 << 30)); m < n {
			n = m
		}
	}
	if n < 1 {
		n = 1
	}
	return n
}
