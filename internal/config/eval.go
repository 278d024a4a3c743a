package config

import (
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// setContext builds the evaluation context of the next phase. allowed
// limits which reference roots may be used (nil: all); a reference outside
// it is reported by checkRefs with a sentence saying why.
func (l *loader) setContext(allowed map[string]bool, notAllowed string) {
	l.allowed = allowed
	l.notAllowed = notAllowed
	vars := map[string]cty.Value{"var": objectOf(l.vars)}
	if allowed == nil || allowed["local"] {
		vars["local"] = objectOf(l.locals)
	}
	if allowed == nil {
		if l.blockVals == nil {
			l.blockVals = l.blockObjects()
		}
		for root, v := range l.blockVals {
			vars[root] = v
		}
	}
	l.ctx = &hcl.EvalContext{Variables: vars, Functions: l.funcs}
}

func objectOf(m map[string]cty.Value) cty.Value {
	if len(m) == 0 {
		return cty.EmptyObjectVal
	}
	return cty.ObjectVal(m)
}

// blockObjects returns service, network, volume, requirement and step as
// objects of objects: service.web is {name = "web"}, network.backend is
// {name = "backend", subnet = "10.0.0.0/24"}. A reference used where a name
// is expected (from = service.web) decodes to the name.
func (l *loader) blockObjects() map[string]cty.Value {
	out := map[string]cty.Value{}
	for _, root := range []string{"service", "volume", "secret", "requirement", "step", "check"} {
		m := map[string]cty.Value{}
		for _, name := range l.decl[root].order {
			attrs := map[string]cty.Value{"name": cty.StringVal(name)}
			if root == "requirement" || root == "step" {
				attrs["id"] = cty.StringVal(name)
			}
			m[name] = cty.ObjectVal(attrs)
		}
		out[root] = objectOf(m)
	}
	nets := map[string]cty.Value{}
	for _, name := range l.decl["network"].order {
		subnet, subnet6 := cty.StringVal(""), cty.StringVal("")
		if n := l.env.Network(name); n != nil {
			subnet6 = cty.StringVal(n.Subnet6)
			switch {
			case n.AutoSubnet && n.Subnet == "":
				subnet = cty.UnknownVal(cty.String)
			default:
				subnet = cty.StringVal(n.Subnet)
			}
		}
		nets[name] = cty.ObjectVal(map[string]cty.Value{"name": cty.StringVal(name), "subnet": subnet, "subnet6": subnet6})
	}
	out["network"] = objectOf(nets)
	return out
}

// eval checks the references of expr and evaluates it in the current
// context. ok is false when a diagnostic was appended.
func (l *loader) eval(expr hcl.Expression) (cty.Value, bool) {
	if !l.guard.enter(expr) {
		return cty.DynamicVal, false // reported once, at the end of Load
	}
	if diags := l.checkRefs(expr); diags.HasErrors() {
		l.diags = append(l.diags, diags...)
		return cty.DynamicVal, false
	}
	v, diags := expr.Value(l.ctx)
	l.diags = append(l.diags, diags...)
	if diags.HasErrors() {
		return cty.DynamicVal, false
	}
	return v, true
}

// checkRefs reports every reference of expr that names nothing declared, at
// the reference's own range and with a suggestion, before HCL would report
// it in its more general words.
func (l *loader) checkRefs(expr hcl.Expression) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, tr := range expr.Variables() {
		root := tr.RootName()
		kind, ok := refRoots[root]
		rng := tr.SourceRange()
		if !ok {
			diags = append(diags, errorAt(&rng, "Unknown reference",
				"%q is not something this language can refer to; a reference starts with var., local., service., network., volume., secret., requirement., step. or check.%s",
				root, didYouMean(root, sortedKeys(refRoots))))
			continue
		}
		if l.allowed != nil && !l.allowed[root] {
			diags = append(diags, errorAt(&rng, "Reference not allowed here", "%s", l.notAllowed))
			continue
		}
		if len(tr) < 2 {
			diags = append(diags, errorAt(&rng, "Incomplete reference",
				"A reference to a %s needs a name after %q, like %s.<name>; add the name.", kind, root+".", root))
			continue
		}
		var name string
		switch step := tr[1].(type) {
		case hcl.TraverseAttr:
			name = step.Name
		case hcl.TraverseIndex:
			if step.Key.IsKnown() && !step.Key.IsMarked() && step.Key.Type() == cty.String {
				name = step.Key.AsString()
			}
		}
		if name == "" {
			diags = append(diags, errorAt(&rng, "Invalid reference",
				"A reference to a %s is written %s.<name>; write the name after the dot.", kind, root))
			continue
		}
		if !l.decl[root].has(name) {
			diags = append(diags, unknownName(rng, root, name, l.decl[root].sorted()))
		}
	}
	return diags
}

func unknownName(rng hcl.Range, root, name string, candidates []string) *hcl.Diagnostic {
	kind := refRoots[root]
	return errorAt(&rng, "Unknown "+kind,
		"No %s named %q is declared in this environment.%s Declare it, or correct the name.",
		kind, name, didYouMean(name, candidates))
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sortStrings(out)
	return out
}

func sortStrings(s []string) { sort.Strings(s) }

// hclText renders a value as HCL literal text for Variable.Value and
// Environment.Locals.
func hclText(v cty.Value) string {
	v, _ = v.UnmarkDeep()
	if !v.IsWhollyKnown() {
		return knownAfterUp
	}
	return strings.TrimSpace(string(tokensForValue(v)))
}
