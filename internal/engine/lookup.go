package engine

import (
	"context"
	"errors"
	"sort"
	"sync"
)

// Lookup finds the containers of an instance's services. It lists the
// instance once and answers from that list until Forget: a plan of twenty
// steps then costs one list call instead of forty. Callers Forget when
// what they found turned out stale (the container is gone or stopped),
// and after changing a container's state themselves.
type Lookup struct {
	Engine   Engine
	Instance string

	mu        sync.Mutex
	byService map[string][]Container // nil: not listed yet
}

// Service returns the containers of service, a running one first.
func (l *Lookup) Service(ctx context.Context, service string) ([]Container, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.byService == nil {
		cs, err := l.Engine.Containers(ctx, Instance(l.Instance))
		if err != nil {
			return nil, err
		}
		l.byService = map[string][]Container{}
		for _, c := range cs {
			if s := c.Labels[LabelService]; s != "" && MadeFor(c, l.Instance) {
				l.byService[s] = append(l.byService[s], c)
			}
		}
		for _, list := range l.byService {
			sort.SliceStable(list, func(i, j int) bool { return list[i].State == StateRunning && list[j].State != StateRunning })
		}
	}
	return l.byService[service], nil
}

// MadeFor reports whether c is a service container proeftuin made for
// instance, not merely one that carries its labels: it has the name
// proeftuin gives it (<instance>-<service>). Anyone can put labels on a
// container, but the name is the engine's unique key and belongs to the
// container proeftuin created; commands run in a service's container must
// only ever reach that one.
func MadeFor(c Container, instance string) bool {
	s := c.Labels[LabelService]
	return s != "" && c.Labels[LabelInstance] == instance && c.Name == instance+"-"+s
}

// Forget drops the list; the next Service lists again.
func (l *Lookup) Forget() {
	l.mu.Lock()
	l.byService = nil
	l.mu.Unlock()
}

// Stale reports whether err, from the engine about a container found
// through l, says the container is gone or no longer runs, and forgets
// the list then, so the next Service lists anew. Callers may retry an
// exec or copy that failed this way: it never started.
func (l *Lookup) Stale(err error) bool {
	if errors.Is(err, ErrNotFound) || errors.Is(err, ErrConflict) {
		l.Forget()
		return true
	}
	return false
}
