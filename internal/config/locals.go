package config

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// decodeLocals evaluates local values in dependency order: a local may
// refer to variables, blocks and other locals, in any order of
// declaration. A cycle is reported with its path.
func (l *loader) decodeLocals(attrs []*hcl.Attribute) {
	byName := make(map[string]*hcl.Attribute, len(attrs))
	for _, a := range attrs {
		byName[a.Name] = a
	}
	l.localAttrs = byName
	const (
		unvisited = iota
		visiting
		done
	)
	state := map[string]int{}
	var path []string
	var visit func(a *hcl.Attribute)
	visit = func(a *hcl.Attribute) {
		switch state[a.Name] {
		case done:
			return
		case visiting:
			i := indexOf(path, a.Name)
			cycle := append(append([]string(nil), path[i:]...), a.Name)
			for j := range cycle {
				cycle[j] = "local." + cycle[j]
			}
			l.diags = append(l.diags, errorAt(a.Expr.Range().Ptr(), "Cycle in local values",
				"The local values refer to each other in a circle: %s; break the circle by computing one of them from something else.",
				strings.Join(cycle, " -> ")))
			for _, n := range path[i:] {
				l.locals[n] = cty.DynamicVal
				state[n] = done
			}
			return
		}
		state[a.Name] = visiting
		path = append(path, a.Name)
		for _, tr := range a.Expr.Variables() {
			if tr.RootName() != "local" || len(tr) < 2 {
				continue
			}
			if step, ok := tr[1].(hcl.TraverseAttr); ok {
				if dep := byName[step.Name]; dep != nil {
					visit(dep)
				}
			}
		}
		path = path[:len(path)-1]
		if state[a.Name] == done { // part of a reported cycle
			return
		}
		state[a.Name] = done
		l.setContext(nil, "")
		v, ok := l.eval(a.Expr)
		if !ok {
			v = cty.DynamicVal
		}
		l.locals[a.Name] = v
		if v.IsMarked() || v.ContainsMarked() {
			l.env.Locals[a.Name] = "(sensitive)"
		} else {
			l.env.Locals[a.Name] = hclText(v)
		}
	}
	for _, a := range attrs {
		visit(a)
	}
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return 0
}
