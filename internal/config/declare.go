package config

import (
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// refRoots are the roots a reference may start with, and how a diagnostic
// names what they refer to.
var refRoots = map[string]string{
	"var":         "variable",
	"local":       "local value",
	"service":     "service",
	"network":     "network",
	"volume":      "volume",
	"secret":      "secret",
	"requirement": "requirement",
	"step":        "step",
	"check":       "check",
}

// topBlocks are the top-level blocks of all files, per type, in load order,
// without duplicates (those are reported by declare).
type topBlocks struct {
	environments []*hcl.Block
	variables    []*hcl.Block
	locals       []*hcl.Attribute
	requirements []*hcl.Block
	networks     []*hcl.Block
	volumes      []*hcl.Block
	secrets      []*hcl.Block
	services     []*hcl.Block
	checks       []*hcl.Block
	plans        []*hcl.Block
	steps        []*hcl.Block
	faults       []*hcl.Block

	localsBlocks []*hcl.Block
	all          []*hcl.Block
}

func (l *loader) collectBlocks(files []*hcl.File) *topBlocks {
	tb := &topBlocks{}
	for _, f := range files {
		content, diags := f.Body.Content(rootSchema)
		l.diags = append(l.diags, diags...)
		if content == nil {
			continue
		}
		tb.all = append(tb.all, content.Blocks...)
	}
	return tb
}

// declare registers every declared name before anything is evaluated, so
// references work regardless of declaration order and file, and reports
// duplicates at the second declaration.
func (l *loader) declare(tb *topBlocks) {
	seen := map[string]*declared{}
	dup := func(kind string, b *hcl.Block) bool {
		d := seen[kind]
		if d == nil {
			d = newDeclared()
			seen[kind] = d
		}
		if first, ok := d.add(b.Labels[0], b.LabelRanges[0]); !ok {
			l.diags = append(l.diags, errorAt(rangePtr(b.LabelRanges[0]), "Duplicate "+kind+" "+quote(b.Labels[0]),
				"A %s named %q was already declared at %s; names of a kind must be unique, so rename or remove one of them.",
				kind, b.Labels[0], at(first)))
			return true
		}
		return false
	}
	for _, b := range tb.all {
		if len(b.Labels) != len(labelsOf(b.Type)) {
			continue // HCL reported the missing or extra label
		}
		switch b.Type {
		case "environment":
			if len(tb.environments) > 0 {
				first := tb.environments[0]
				l.duplicateBlock(b, "An environment block was already declared at %s; an environment folder describes exactly one environment, so remove this one.", at(first.DefRange))
				continue
			}
			l.checkName(b, "environment")
			tb.environments = append(tb.environments, b)
		case "variable":
			if dup("variable", b) {
				continue
			}
			if !hclsyntax.ValidIdentifier(b.Labels[0]) {
				l.diags = append(l.diags, errorAt(rangePtr(b.LabelRanges[0]), "Invalid variable name",
					"A variable name must be a valid identifier (letters, digits, '_' and '-', starting with a letter) because it is referenced as var.<name>; rename %q.", b.Labels[0]))
			}
			l.decl["var"].add(b.Labels[0], b.LabelRanges[0])
			tb.variables = append(tb.variables, b)
		case "locals":
			tb.localsBlocks = append(tb.localsBlocks, b)
			l.declareLocals(b, tb)
		case "requirement":
			tb.requirements = l.declareNamed(tb.requirements, b, "requirement", dup)
		case "network":
			tb.networks = l.declareNamed(tb.networks, b, "network", dup)
		case "volume":
			tb.volumes = l.declareNamed(tb.volumes, b, "volume", dup)
		case "secret":
			tb.secrets = l.declareNamed(tb.secrets, b, "secret", dup)
		case "service":
			tb.services = l.declareNamed(tb.services, b, "service", dup)
		case "check":
			if dup("check", b) {
				continue
			}
			l.checkName(b, "check")
			l.decl["check"].add(b.Labels[0], b.LabelRanges[0])
			tb.checks = append(tb.checks, b)
		case "plan":
			if len(tb.plans) > 0 {
				l.duplicateBlock(b, "A plan was already declared at %s; an environment has at most one implementation plan, so merge the two.", at(tb.plans[0].DefRange))
				continue
			}
			l.checkName(b, "plan")
			tb.plans = append(tb.plans, b)
		case "step":
			tb.steps = l.declareNamed(tb.steps, b, "step", dup)
		case "fault":
			if !dup("fault", b) {
				l.checkName(b, "fault")
				tb.faults = append(tb.faults, b)
			}
		}
	}
	if len(tb.environments) == 0 && !l.parseFailed && len(l.env.Files) > 0 {
		l.diags = append(l.diags, errorAt(nil, "Missing environment block",
			"None of the *.hcl files declares an environment block; add one, like environment \"name\" { title = \"...\" }."))
	}
}

func (l *loader) declareNamed(list []*hcl.Block, b *hcl.Block, kind string, dup func(string, *hcl.Block) bool) []*hcl.Block {
	if dup(kind, b) {
		return list
	}
	l.checkName(b, kind)
	l.decl[kind].add(b.Labels[0], b.LabelRanges[0])
	return append(list, b)
}

func (l *loader) declareLocals(b *hcl.Block, tb *topBlocks) {
	for _, a := range l.attributesInOrder(b.Body) {
		if first, ok := l.decl["local"].add(a.Name, a.NameRange); !ok {
			l.diags = append(l.diags, errorAt(rangePtr(a.NameRange), "Duplicate local value "+quote(a.Name),
				"A local value named %q was already declared at %s; rename or remove one of them.", a.Name, at(first)))
			continue
		}
		tb.locals = append(tb.locals, a)
	}
}

// attributesInOrder returns the attributes of body in the order they stand
// in the file, so that diagnostics about them come in that order too.
func (l *loader) attributesInOrder(body hcl.Body) []*hcl.Attribute {
	attrs, diags := body.JustAttributes()
	l.diags = append(l.diags, diags...)
	list := make([]*hcl.Attribute, 0, len(attrs))
	for _, a := range attrs {
		list = append(list, a)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Range.Start.Byte < list[j].Range.Start.Byte })
	return list
}

func labelsOf(blockType string) []string {
	for _, s := range rootSchema.Blocks {
		if s.Type == blockType {
			return s.LabelNames
		}
	}
	return nil
}

func quote(s string) string { return `"` + s + `"` }
