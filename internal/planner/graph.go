package planner

import (
	"fmt"
	"sort"
	"strings"

	"github.com/proeftuin/proeftuin/internal/config"
)

// Graph is a dependency graph: each node lists the nodes it depends on.
type Graph struct {
	deps map[string][]string
}

// NewGraph returns an empty graph.
func NewGraph() *Graph { return &Graph{deps: map[string][]string{}} }

// ServiceGraph is the graph of env's services: a service depends on what it
// names in depends_on and on the service whose network it shares
// (network_mode = "service:x").
func ServiceGraph(services []*config.Service) *Graph {
	g := NewGraph()
	for _, s := range services {
		g.Add(s.Name, serviceDeps(s)...)
	}
	return g
}

func serviceDeps(s *config.Service) []string {
	deps := append([]string(nil), s.DependsOn...)
	if x, ok := strings.CutPrefix(s.NetworkMode, "service:"); ok {
		deps = append(deps, x)
	}
	return deps
}

// Add adds node with its dependencies (duplicates are merged).
func (g *Graph) Add(node string, deps ...string) {
	seen := map[string]bool{}
	for _, d := range g.deps[node] {
		seen[d] = true
	}
	list := g.deps[node]
	for _, d := range deps {
		if !seen[d] {
			seen[d] = true
			list = append(list, d)
		}
	}
	sort.Strings(list)
	g.deps[node] = list
}

// Nodes returns every node, sorted.
func (g *Graph) Nodes() []string {
	out := make([]string, 0, len(g.deps))
	for n := range g.deps {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Dependents returns the nodes that depend directly on node, sorted.
func (g *Graph) Dependents(node string) []string {
	var out []string
	for n, deps := range g.deps {
		for _, d := range deps {
			if d == node {
				out = append(out, n)
			}
		}
	}
	sort.Strings(out)
	return out
}

// CycleError reports a dependency cycle with its path.
type CycleError struct {
	Path []string // first and last element are the same node
}

func (e *CycleError) Error() string {
	return "dependency cycle: " + strings.Join(e.Path, " -> ")
}

// UnknownError reports a dependency on a node that is not in the graph.
type UnknownError struct {
	Node, Dep string
}

func (e *UnknownError) Error() string {
	return fmt.Sprintf("%s depends on %s, which is not declared", e.Node, e.Dep)
}

// Cycle returns one dependency cycle as a path (a -> b -> a), or nil.
// The search visits nodes in name order, so the answer is stable.
func (g *Graph) Cycle() []string {
	const (
		white = iota
		grey
		black
	)
	color := map[string]int{}
	var stack []string
	var found []string
	var visit func(n string) bool
	visit = func(n string) bool {
		color[n] = grey
		stack = append(stack, n)
		for _, d := range g.deps[n] {
			if _, ok := g.deps[d]; !ok {
				continue
			}
			switch color[d] {
			case grey:
				for i, s := range stack {
					if s == d {
						found = append(append([]string(nil), stack[i:]...), d)
						return true
					}
				}
			case white:
				if visit(d) {
					return true
				}
			}
		}
		stack = stack[:len(stack)-1]
		color[n] = black
		return false
	}
	for _, n := range g.Nodes() {
		if color[n] == white && visit(n) {
			return found
		}
	}
	return nil
}

// Levels groups the nodes so that every node comes after all it depends
// on: level 0 holds the leaves (no dependencies), level 1 what depends only
// on level 0, and so on. Each level is sorted by name. A cycle gives a
// *CycleError, a dependency on an undeclared node an *UnknownError.
func (g *Graph) Levels() ([][]string, error) {
	for _, n := range g.Nodes() {
		for _, d := range g.deps[n] {
			if _, ok := g.deps[d]; !ok {
				return nil, &UnknownError{Node: n, Dep: d}
			}
		}
	}
	if c := g.Cycle(); c != nil {
		return nil, &CycleError{Path: c}
	}
	level := map[string]int{}
	var depth func(n string) int
	depth = func(n string) int {
		if l, ok := level[n]; ok {
			return l
		}
		l := 0
		for _, d := range g.deps[n] {
			if dl := depth(d) + 1; dl > l {
				l = dl
			}
		}
		level[n] = l
		return l
	}
	var out [][]string
	for _, n := range g.Nodes() {
		l := depth(n)
		for len(out) <= l {
			out = append(out, nil)
		}
		out[l] = append(out[l], n)
	}
	return out, nil
}

// Order flattens Levels: leaves first, stable by name within a level.
func (g *Graph) Order() ([]string, error) {
	levels, err := g.Levels()
	if err != nil {
		return nil, err
	}
	var out []string
	for _, l := range levels {
		out = append(out, l...)
	}
	return out, nil
}
