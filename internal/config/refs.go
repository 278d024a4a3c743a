package config

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
)

// References to blocks are written service.web, requirement.FR-01 and so
// on. HCL identifiers may contain '-', so requirement.FR-01 is one ordinary
// traversal, not a subtraction (see TestRequirementReferenceWithDash). A
// name given as a plain string ("FR-01", "web") is accepted too.

// ref decodes an attribute that names one block of kind: a reference or a
// string. It reports references to another kind of block and names that
// are not declared.
func (l *loader) ref(attr *hcl.Attribute, kind string) string {
	if attr == nil {
		return ""
	}
	name, _ := l.refExpr(attr.Expr, attr.Name, kind)
	return name
}

// refs decodes a list of references (satisfies, verifies, implements,
// depends_on) and returns the names with the range of each element.
func (l *loader) refs(attr *hcl.Attribute, kind string) ([]string, []hcl.Range) {
	if attr == nil {
		return nil, nil
	}
	exprs, diags := hcl.ExprList(attr.Expr)
	if diags.HasErrors() {
		// Not a literal list (local.reqs, concat(...)): evaluate it whole.
		list := l.strs(attr)
		ranges := make([]hcl.Range, 0, len(list))
		names := list[:0]
		for _, name := range list {
			if name != knownAfterUp && !l.decl[kind].has(name) {
				l.diags = append(l.diags, unknownName(attr.Expr.Range(), kind, name, l.decl[kind].sorted()))
				continue
			}
			names = append(names, name)
			ranges = append(ranges, attr.Expr.Range())
		}
		return names, ranges
	}
	names := make([]string, 0, len(exprs))
	ranges := make([]hcl.Range, 0, len(exprs))
	for _, e := range exprs {
		if name, ok := l.refExpr(e, attr.Name, kind); ok && name != "" {
			names = append(names, name)
			ranges = append(ranges, e.Range())
		}
	}
	return names, ranges
}

func (l *loader) refExpr(expr hcl.Expression, attrName, kind string) (string, bool) {
	rng := expr.Range()
	if tr, diags := hcl.AbsTraversalForExpr(expr); !diags.HasErrors() {
		root := tr.RootName()
		if _, isRoot := refRoots[root]; isRoot && root != kind && root != "var" && root != "local" {
			l.diags = append(l.diags, errorAt(&rng, "Invalid reference",
				"The %s argument expects a %s, written %s.<name> or as its name in quotes, but %s refers to a %s; refer to a %s instead.",
				attrName, refRoots[kind], kind, traversalText(tr), refRoots[root], refRoots[kind]))
			return "", false
		}
	}
	v, ok := l.eval(expr)
	if !ok {
		return "", false
	}
	v, _ = v.UnmarkDeep()
	name, err := asString(v)
	if err != nil {
		l.diags = append(l.diags, errorAt(&rng, "Invalid reference",
			"The %s argument expects a %s, written %s.<name> or as its name in quotes; %s.", attrName, refRoots[kind], kind, err))
		return "", false
	}
	if name == "" || name == knownAfterUp {
		return name, name != ""
	}
	if !l.decl[kind].has(name) {
		l.diags = append(l.diags, unknownName(rng, kind, name, l.decl[kind].sorted()))
		return "", false
	}
	return name, true
}

func traversalText(tr hcl.Traversal) string {
	s := tr.RootName()
	for _, step := range tr[1:] {
		switch st := step.(type) {
		case hcl.TraverseAttr:
			s += "." + st.Name
		case hcl.TraverseIndex:
			s += fmt.Sprintf("[%s]", hclText(st.Key))
		}
	}
	return s
}
