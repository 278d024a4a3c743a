package config

import (
	"fmt"
	"strings"
)

// checkCycles reports every dependency cycle among services once, at the
// depends_on element that closes it, with the whole path (a -> b -> a):
// `up` starts services leaves first and could never start any of these.
func (l *loader) checkCycles() {
	byName := make(map[string]*Service, len(l.env.Services))
	for _, s := range l.env.Services {
		byName[s.Name] = s
	}
	const (
		white = iota
		grey
		black
	)
	color := make(map[string]int, len(byName))
	var stack []string
	reported := map[string]bool{}
	var visit func(s *Service)
	visit = func(s *Service) {
		color[s.Name] = grey
		stack = append(stack, s.Name)
		deps := s.DependsOn
		if x, ok := strings.CutPrefix(s.NetworkMode, "service:"); ok {
			// Sharing another service's network namespace needs that
			// container first: it is a dependency like depends_on.
			deps = append(deps[:len(deps):len(deps)], x)
		}
		for i, dep := range deps {
			d := byName[dep]
			if d == nil {
				continue
			}
			switch color[d.Name] {
			case white:
				visit(d)
			case grey:
				start := indexOf(stack, d.Name)
				cycle := append(append([]string(nil), stack[start:]...), d.Name)
				key := cycleKey(cycle[:len(cycle)-1])
				if reported[key] {
					continue
				}
				reported[key] = true
				rng := s.DeclRange
				if r, ok := s.AttrRanges[fmt.Sprintf("depends_on.%d", i)]; ok {
					rng = r
				} else if r, ok := s.AttrRanges["network_mode"]; ok && i == len(s.DependsOn) {
					rng = r
				}
				detail := "Services %s depend on each other in a circle, so none of them can start first; remove one of these dependencies (depends_on, or network_mode = \"service:...\")."
				if len(cycle) == 2 {
					detail = "Service %s depends on itself; remove it from its own depends_on."
				}
				l.diags = append(l.diags, errorAt(&rng, "Dependency cycle", detail, strings.Join(cycle, " -> ")))
			}
		}
		stack = stack[:len(stack)-1]
		color[s.Name] = black
	}
	for _, s := range l.env.Services {
		if color[s.Name] == white {
			visit(s)
		}
	}
}

// cycleKey identifies a cycle regardless of where it was entered.
func cycleKey(members []string) string {
	m := append([]string(nil), members...)
	sortStrings(m)
	return strings.Join(m, "\x00")
}
