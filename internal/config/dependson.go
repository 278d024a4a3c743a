package config

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// Conditions of a depends_on entry: when the dependent may start.
const (
	DependStarted   = "started"   // the dependency's container runs
	DependReady     = "ready"     // its ready probe passed (the default)
	DependCompleted = "completed" // it ran to the end and exited with 0
)

var dependConditions = []string{DependStarted, DependReady, DependCompleted}

// dependsOn reads depends_on: a list of services (each with the condition
// "ready"), or a map from service name to condition, like
// { db = "ready", migrate = "completed" }.
func (l *loader) dependsOn(s *Service, attr *hcl.Attribute) {
	if attr == nil {
		return
	}
	obj, isMap := attr.Expr.(*hclsyntax.ObjectConsExpr)
	if !isMap {
		var ranges []hcl.Range
		s.DependsOn, ranges = l.refs(attr, "service")
		for i, r := range ranges {
			s.AttrRanges[fmt.Sprintf("depends_on.%d", i)] = r
		}
		return
	}
	for _, item := range obj.Items {
		rng := item.KeyExpr.Range()
		name := hcl.ExprAsKeyword(item.KeyExpr)
		if name == "" {
			v, diags := item.KeyExpr.Value(nil)
			if diags.HasErrors() || !v.IsKnown() || v.IsNull() {
				l.diags = append(l.diags, errorAt(&rng, "Invalid depends_on",
					"Write the service's name as the key, like depends_on = { db = \"ready\" }."))
				continue
			}
			name, _ = asString(v)
		}
		if !l.decl["service"].has(name) {
			l.diags = append(l.diags, unknownName(rng, "service", name, l.decl["service"].sorted()))
			continue
		}
		cond := l.enum(&hcl.Attribute{Name: "depends_on", Expr: item.ValueExpr, Range: item.ValueExpr.Range()}, DependReady, dependConditions)
		s.AttrRanges[fmt.Sprintf("depends_on.%d", len(s.DependsOn))] = rng
		s.DependsOn = append(s.DependsOn, name)
		if cond != DependReady {
			if s.DependCondition == nil {
				s.DependCondition = map[string]string{}
			}
			s.DependCondition[name] = cond
		}
	}
}

// Condition returns the condition of s's dependency on dep: "ready"
// unless depends_on said otherwise.
func (s *Service) Condition(dep string) string {
	if c := s.DependCondition[dep]; c != "" {
		return c
	}
	return DependReady
}

// checkCompleted refuses a "completed" dependency on a service the engine
// restarts whenever it exits: it never completes.
func (l *loader) checkCompleted() {
	for _, s := range l.env.Services {
		for _, dep := range s.DependsOn {
			d := l.env.Service(dep)
			if s.Condition(dep) != DependCompleted || d == nil || (d.Restart != "always" && d.Restart != "unless-stopped") {
				continue
			}
			rng := s.DeclRange
			for i, name := range s.DependsOn {
				if r, ok := s.AttrRanges[fmt.Sprintf("depends_on.%d", i)]; ok && name == dep {
					rng = r
				}
			}
			l.diags = append(l.diags, errorAt(&rng, "Dependency that never completes",
				"Service %q waits until %q has completed, but %q has restart = %q, so the engine starts it again whenever it exits; give it restart = \"no\" or \"on-failure\", or wait for \"ready\" instead.", s.Name, dep, dep, d.Restart))
		}
	}
}
