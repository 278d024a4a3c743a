package config

import (
	"fmt"
	"os"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// envPrefix is the prefix of environment variables that assign variables.
const envPrefix = "PROEFTUIN_VAR_"

// variableDecl is a decoded variable block with its assignments in the
// order they apply: default, environment, var files, --var. The last wins.
type variableDecl struct {
	v           *Variable
	typ         cty.Type
	labelRange  hcl.Range
	validations []*hcl.Block
	assignments []assignment
}

// assignment is one value given to a variable. Values from the environment
// and from --var are text (raw) until the variable's type is known; values
// from the default and from var files are expressions already evaluated.
type assignment struct {
	value  cty.Value
	raw    string
	isRaw  bool
	source string     // Variable.Source: "default", "file vars.hcl", ...
	origin string     // how a diagnostic without a range names it: "--var", "PROEFTUIN_VAR_x"
	rng    *hcl.Range // nil for --var and the environment
}

func (l *loader) decodeVariables(blocks []*hcl.Block) {
	l.ctx = &hcl.EvalContext{Functions: l.funcs}
	l.allowed = map[string]bool{}
	l.notAllowed = "A variable block cannot refer to anything, because it is evaluated before everything else; write a literal value."
	decls := map[string]*variableDecl{}
	var order []*variableDecl
	for _, b := range blocks {
		d := l.decodeVariableBlock(b)
		decls[d.v.Name] = d
		order = append(order, d)
		l.env.Variables = append(l.env.Variables, d.v)
	}
	names := l.decl["var"].sorted()

	// Environment: PROEFTUIN_VAR_<name>, for declared variables only (the
	// environment is shared with other programs, so others are ignored).
	for _, kv := range l.opts.Environ {
		if !strings.HasPrefix(kv, envPrefix) {
			continue
		}
		name, value, _ := strings.Cut(strings.TrimPrefix(kv, envPrefix), "=")
		if d := decls[name]; d != nil {
			d.assignments = append(d.assignments, assignment{raw: value, isRaw: true,
				source: "environment " + envPrefix + name, origin: envPrefix + name})
		}
	}

	for _, path := range l.opts.VarFiles {
		l.readVarFile(path, decls, names)
	}

	for _, arg := range l.opts.Vars {
		name, value, ok := strings.Cut(arg, "=")
		name = strings.TrimSpace(name)
		if !ok || name == "" {
			l.diags = append(l.diags, errorAt(nil, "Invalid --var option",
				"The option --var %q is not of the form name=value; write it like --var web_port=8081.", arg))
			continue
		}
		d := decls[name]
		if d == nil {
			l.diags = append(l.diags, errorAt(nil, "Unknown variable "+quote(name)+" in --var",
				"No variable named %q is declared in this environment.%s Declare it with a variable block, or correct the name.",
				name, didYouMean(name, names)))
			continue
		}
		d.assignments = append(d.assignments, assignment{raw: value, isRaw: true, source: "--var", origin: "--var"})
	}

	for _, d := range order {
		l.finalizeVariable(d)
	}
}

func (l *loader) decodeVariableBlock(b *hcl.Block) *variableDecl {
	content, diags := b.Body.Content(variableSchema)
	l.diags = append(l.diags, diags...)
	d := &variableDecl{
		v:          &Variable{Name: b.Labels[0], Type: "any", DeclRange: b.DefRange},
		typ:        cty.DynamicPseudoType,
		labelRange: b.LabelRanges[0],
	}
	if attr := content.Attributes["type"]; attr != nil {
		ty, diags := typeexpr.TypeConstraint(attr.Expr)
		l.diags = append(l.diags, diags...)
		if !diags.HasErrors() {
			d.typ = ty
			d.v.Type = typeexpr.TypeString(ty)
		}
	}
	d.v.Description = l.str(content.Attributes["description"], "")
	d.v.Sensitive = l.boolean(content.Attributes["sensitive"], false)
	if attr := content.Attributes["default"]; attr != nil && l.guard.enter(attr.Expr) {
		val, diags := attr.Expr.Value(l.ctx)
		l.diags = append(l.diags, diags...)
		if !diags.HasErrors() {
			rng := attr.Expr.Range()
			if _, err := convert.Convert(val, d.typ); err != nil {
				l.diags = append(l.diags, errorAt(&rng, "Invalid default value for variable",
					"The default value of var.%s does not fit its type %s: %s; change the default or the type.",
					d.v.Name, d.v.Type, convertError(err)))
			}
			d.assignments = append(d.assignments, assignment{value: val, source: "default", rng: &rng})
		}
	}
	for _, vb := range content.Blocks {
		_, diags := vb.Body.Content(validationSchema)
		l.diags = append(l.diags, diags...)
		if !diags.HasErrors() {
			d.validations = append(d.validations, vb)
		}
	}
	return d
}

// readVarFile reads an HCL file of name = value lines. Values must be
// literals: a var file cannot refer to variables or call functions.
func (l *loader) readVarFile(path string, decls map[string]*variableDecl, names []string) {
	src, err := os.ReadFile(path)
	if err != nil {
		l.diags = append(l.diags, errorAt(nil, "Cannot read variable file",
			"The file %s given with --var-file could not be read (%s); check the path.", path, err))
		return
	}
	f, diags := l.parser.parseSource(src, path)
	l.addFile(path, f)
	l.varFiles[path] = true
	l.diags = append(l.diags, diags...)
	for _, a := range l.attributesInOrder(f.Body) {
		d := decls[a.Name]
		if d == nil {
			l.diags = append(l.diags, errorAt(rangePtr(a.NameRange), "Unknown variable "+quote(a.Name),
				"The variable file assigns %q, but no variable of that name is declared in this environment.%s Remove the line or correct the name.",
				a.Name, didYouMean(a.Name, names)))
			continue
		}
		val, diags := a.Expr.Value(nil)
		l.diags = append(l.diags, diags...)
		if diags.HasErrors() {
			continue
		}
		rng := a.Expr.Range()
		d.assignments = append(d.assignments, assignment{value: val, source: "file " + path, rng: &rng})
	}
}

// finalizeVariable takes the last assignment, converts it to the declared
// type, runs the validation rules and stores the value for var.<name>.
func (l *loader) finalizeVariable(d *variableDecl) {
	name := d.v.Name
	l.vars[name] = cty.UnknownVal(d.typ) // until proven good; avoids follow-on errors
	if len(d.assignments) == 0 {
		l.diags = append(l.diags, errorAt(rangePtr(d.labelRange), "No value for required variable",
			"The variable %q has no default and no value was given; set it with --var %s=..., a --var-file, the environment variable %s%s, or give it a default.",
			name, name, envPrefix, name))
		return
	}
	a := d.assignments[len(d.assignments)-1]
	val := a.value
	if a.isRaw {
		if d.typ == cty.String || d.typ == cty.DynamicPseudoType {
			// Like Terraform: a string is taken literally, never parsed,
			// so "${...}" in a value stays text.
			val = cty.StringVal(a.raw)
		} else {
			expr, diags := hclsyntax.ParseExpression([]byte(a.raw), a.origin, hcl.InitialPos)
			if !diags.HasErrors() {
				val, diags = expr.Value(nil)
			}
			if diags.HasErrors() {
				l.diags = append(l.diags, errorAt(nil, fmt.Sprintf("Invalid value for var.%s from %s", name, a.origin),
					"The value %q given by %s is not a valid %s expression: %s; write a value of type %s, like %s.",
					a.raw, a.origin, d.v.Type, firstDetail(diags), d.v.Type, typeExample(d.typ)))
				return
			}
		}
	}
	conv, err := convert.Convert(val, d.typ)
	if err != nil {
		if a.rng != nil {
			if a.source != "default" { // a bad default was reported when decoded
				l.diags = append(l.diags, errorAt(a.rng, "Invalid value for variable",
					"The value given to var.%s does not fit its type %s: %s; give a value like %s.", name, d.v.Type, convertError(err), typeExample(d.typ)))
			}
		} else {
			l.diags = append(l.diags, errorAt(nil, fmt.Sprintf("Invalid value for var.%s from %s", name, a.origin),
				"The value %q given by %s does not fit the type %s of var.%s: %s; give a value like %s.", a.raw, a.origin, d.v.Type, name, convertError(err), typeExample(d.typ)))
		}
		return
	}
	if !l.validateVariable(d, a, conv) {
		return
	}
	d.v.Value = hclText(conv)
	d.v.Source = a.source
	if d.v.Sensitive {
		l.env.Secrets = append(l.env.Secrets, secretStrings(conv)...)
		conv = conv.Mark(sensitiveMark)
	}
	l.vars[name] = conv
}

// validateVariable runs the validation blocks with only var.<name> in scope.
func (l *loader) validateVariable(d *variableDecl, a assignment, val cty.Value) bool {
	if len(d.validations) == 0 {
		return true
	}
	ctx := &hcl.EvalContext{
		Variables: map[string]cty.Value{"var": cty.ObjectVal(map[string]cty.Value{d.v.Name: val})},
		Functions: l.funcs,
	}
	ok := true
	for _, vb := range d.validations {
		content, _ := vb.Body.Content(validationSchema)
		condAttr := content.Attributes["condition"]
		msgAttr := content.Attributes["error_message"]
		cond, diags := condAttr.Expr.Value(ctx)
		l.diags = append(l.diags, diags...)
		if diags.HasErrors() {
			ok = false
			continue
		}
		cond, _ = cond.UnmarkDeep()
		if !cond.IsKnown() {
			continue
		}
		b, err := convert.Convert(cond, cty.Bool)
		if err != nil || b.IsNull() {
			l.diags = append(l.diags, errorAt(condAttr.Expr.Range().Ptr(), "Invalid validation condition",
				"The condition of a validation rule must be true or false; rewrite it as a comparison or a function returning a bool."))
			ok = false
			continue
		}
		if b.True() {
			continue
		}
		msg := "the value is not valid"
		if mv, diags := msgAttr.Expr.Value(ctx); !diags.HasErrors() {
			mv, _ = mv.UnmarkDeep()
			if s, err := asString(mv); err == nil && s != "" {
				msg = s
			}
		}
		detail := fmt.Sprintf("%s\n\nThis was checked by the validation rule at %s; give var.%s a value that passes it.",
			strings.TrimSpace(msg), at(vb.DefRange), d.v.Name)
		summary := "Invalid value for variable"
		if a.rng == nil {
			summary = fmt.Sprintf("Invalid value for var.%s from %s", d.v.Name, a.origin)
		}
		l.diags = append(l.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: a.rng})
		ok = false
	}
	return ok
}

func convertError(err error) string {
	if pe, ok := err.(cty.PathError); ok && len(pe.Path) > 0 {
		return fmt.Sprintf("at %s, %s", pathText(pe.Path), pe.Error())
	}
	return err.Error()
}

func pathText(p cty.Path) string {
	var s string
	for _, step := range p {
		switch st := step.(type) {
		case cty.GetAttrStep:
			s += "." + st.Name
		case cty.IndexStep:
			s += "[" + hclText(st.Key) + "]"
		}
	}
	return strings.TrimPrefix(s, ".")
}

func firstDetail(diags hcl.Diagnostics) string {
	for _, d := range diags {
		if d.Severity == hcl.DiagError {
			if d.Detail != "" {
				return strings.TrimSuffix(d.Detail, ".")
			}
			return d.Summary
		}
	}
	return "invalid syntax"
}

func typeExample(t cty.Type) string {
	switch {
	case t == cty.Number:
		return "8080"
	case t == cty.Bool:
		return "true"
	case t == cty.String:
		return `"text"`
	case t.IsListType() || t.IsSetType() || t.IsTupleType():
		return `["a", "b"]`
	case t.IsMapType() || t.IsObjectType():
		return `{ key = "value" }`
	}
	return `"text"`
}
