package config

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// knownAfterUp stands in for a string that depends on something only known
// once the environment runs (an auto subnet that is not yet allocated).
const knownAfterUp = "(known after up)"

// KnownAfterUp is the text a value computed from an auto subnet has
// before up allocates the subnet (validate, design).
const KnownAfterUp = knownAfterUp

func tokensForValue(v cty.Value) []byte { return hclwrite.TokensForValue(v).Bytes() }

// The as* functions convert an unmarked, non-null value to Go.

func asString(v cty.Value) (string, error) {
	if !v.IsKnown() {
		return knownAfterUp, nil
	}
	if v.IsNull() {
		return "", nil
	}
	// A reference to a block (service.web) stands for its name.
	if t := v.Type(); t.IsObjectType() && t.HasAttribute("name") {
		return asString(v.GetAttr("name"))
	}
	s, err := convert.Convert(v, cty.String)
	if err != nil {
		return "", errors.New("a string is required")
	}
	return s.AsString(), nil
}

func asStrings(v cty.Value) ([]string, error) {
	if !v.IsKnown() || v.IsNull() {
		return nil, nil
	}
	t := v.Type()
	if !(t.IsListType() || t.IsTupleType() || t.IsSetType()) {
		return nil, errors.New("a list of strings is required")
	}
	out := make([]string, 0, v.LengthInt())
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		if e.IsKnown() && e.IsNull() {
			return nil, errors.New("a list of strings is required; an element is null")
		}
		s, err := asString(e)
		if err != nil {
			return nil, errors.New("a list of strings is required")
		}
		out = append(out, s)
	}
	return out, nil
}

func asInt(v cty.Value) (int, error) {
	n, err := convert.Convert(v, cty.Number)
	if err != nil {
		return 0, errors.New("a number is required")
	}
	if !n.IsKnown() {
		return 0, nil
	}
	bf := n.AsBigFloat()
	if !bf.IsInt() {
		return 0, errors.New("a whole number is required")
	}
	i, _ := bf.Int64()
	if i > math.MaxInt32 || i < math.MinInt32 {
		return 0, fmt.Errorf("%s is too large", bf.Text('f', -1))
	}
	return int(i), nil
}

func asFloat(v cty.Value) (float64, error) {
	n, err := convert.Convert(v, cty.Number)
	if err != nil {
		return 0, errors.New("a number is required")
	}
	if !n.IsKnown() {
		return 0, nil
	}
	f, _ := n.AsBigFloat().Float64()
	return f, nil
}

func asBool(v cty.Value) (bool, error) {
	b, err := convert.Convert(v, cty.Bool)
	if err != nil {
		return false, errors.New("true or false is required")
	}
	if !b.IsKnown() {
		return false, nil
	}
	return b.True(), nil
}

// attribute helpers: each evaluates attr (nil: def), converts it and
// reports problems at the attribute's expression.

func (l *loader) value(attr *hcl.Attribute) (cty.Value, bool) {
	if attr == nil {
		return cty.NullVal(cty.DynamicPseudoType), false
	}
	v, ok := l.eval(attr.Expr)
	if !ok {
		return v, false
	}
	v, _ = v.UnmarkDeep()
	if v.IsKnown() && v.IsNull() {
		return v, false
	}
	return v, true
}

func (l *loader) typeError(attr *hcl.Attribute, err error) {
	l.diags = append(l.diags, errorAt(attr.Expr.Range().Ptr(), "Incorrect attribute value type",
		"Inappropriate value for attribute %q: %s.", attr.Name, err))
}

func (l *loader) str(attr *hcl.Attribute, def string) string {
	v, ok := l.value(attr)
	if !ok {
		return def
	}
	s, err := asString(v)
	if err != nil {
		l.typeError(attr, err)
		return def
	}
	return s
}

func (l *loader) strs(attr *hcl.Attribute) []string {
	v, ok := l.value(attr)
	if !ok {
		return nil
	}
	s, err := asStrings(v)
	if err != nil {
		l.typeError(attr, err)
		return nil
	}
	return s
}

// command accepts a list of strings (exec form) or one string, which runs
// through /bin/sh -c (shell form), like a Dockerfile's CMD.
func (l *loader) command(attr *hcl.Attribute) []string {
	v, ok := l.value(attr)
	if !ok {
		return nil
	}
	if v.IsKnown() && v.Type() == cty.String {
		return []string{"/bin/sh", "-c", v.AsString()}
	}
	s, err := asStrings(v)
	if err != nil {
		l.typeError(attr, errors.New("a list of strings (or one string for /bin/sh -c) is required"))
		return nil
	}
	return s
}

func (l *loader) integer(attr *hcl.Attribute, def int) int {
	v, ok := l.value(attr)
	if !ok || !v.IsKnown() {
		return def
	}
	n, err := asInt(v)
	if err != nil {
		l.typeError(attr, err)
		return def
	}
	return n
}

func (l *loader) float(attr *hcl.Attribute, def float64) float64 {
	v, ok := l.value(attr)
	if !ok || !v.IsKnown() {
		return def
	}
	f, err := asFloat(v)
	if err != nil {
		l.typeError(attr, err)
		return def
	}
	return f
}

func (l *loader) boolean(attr *hcl.Attribute, def bool) bool {
	v, ok := l.value(attr)
	if !ok || !v.IsKnown() {
		return def
	}
	b, err := asBool(v)
	if err != nil {
		l.typeError(attr, err)
		return def
	}
	return b
}

// stringMap decodes a map of strings; sensitive lists the keys whose value
// derives from a sensitive value (cty marks survive HCL expressions).
func (l *loader) stringMap(attr *hcl.Attribute) (m map[string]string, sensitive []string) {
	if attr == nil {
		return nil, nil
	}
	v, ok := l.eval(attr.Expr)
	if !ok {
		return nil, nil
	}
	v, marks := v.Unmark()
	allSensitive := hasSensitive(marks)
	if !v.IsKnown() || v.IsNull() {
		return nil, nil
	}
	t := v.Type()
	if !(t.IsMapType() || t.IsObjectType()) {
		l.typeError(attr, errors.New("a map of strings is required, like { KEY = \"value\" }"))
		return nil, nil
	}
	m = make(map[string]string, v.LengthInt())
	for it := v.ElementIterator(); it.Next(); {
		k, e := it.Element()
		key := k.AsString()
		if allSensitive || e.ContainsMarked() {
			sensitive = append(sensitive, key)
		}
		e, _ = e.UnmarkDeep()
		s, err := asString(e)
		if err != nil || (e.IsKnown() && !e.Type().IsPrimitiveType()) {
			l.typeError(attr, fmt.Errorf("the value of %q must be a string", key))
			continue
		}
		m[key] = s
	}
	return m, sensitive
}

// duration decodes a Go duration string ("30s", "2m", "1h30m").
func (l *loader) duration(attr *hcl.Attribute, def time.Duration) time.Duration {
	v, ok := l.value(attr)
	if !ok || !v.IsKnown() {
		return def
	}
	s, err := asString(v)
	if err != nil {
		l.typeError(attr, errors.New(`a duration string like "30s" is required`))
		return def
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		l.diags = append(l.diags, errorAt(attr.Expr.Range().Ptr(), "Invalid duration",
			"%q is not a duration; write a positive number with a unit, like \"500ms\", \"30s\", \"2m\" or \"1h30m\".", s))
		return def
	}
	return d
}

// enum decodes a string that must be one of allowed.
func (l *loader) enum(attr *hcl.Attribute, def string, allowed []string) string {
	s := l.str(attr, def)
	if attr == nil || (s == def && def != "") || s == knownAfterUp {
		return s
	}
	for _, a := range allowed {
		if s == a {
			return s
		}
	}
	hint := dutchValue(s, allowed)
	if hint == "" {
		hint = didYouMean(s, allowed)
	}
	l.diags = append(l.diags, errorAt(attr.Expr.Range().Ptr(), "Invalid value for "+attr.Name,
		"%q is not a valid %s; use one of %s.%s", s, attr.Name, quoteList(allowed), hint))
	return def
}

// regex decodes a regular expression and reports it when it does not compile.
func (l *loader) regex(attr *hcl.Attribute) string {
	s := l.str(attr, "")
	if s == "" || s == knownAfterUp {
		return s
	}
	if _, err := regexp.Compile(s); err != nil {
		l.diags = append(l.diags, errorAt(attr.Expr.Range().Ptr(), "Invalid regular expression",
			"The pattern %q does not compile (%s); fix it using Go's RE2 syntax.", s, err))
	}
	return s
}

// mode decodes a file mode written as an octal string ("0644") or as a
// number whose digits are read as octal (644, since HCL drops the leading 0).
func (l *loader) mode(attr *hcl.Attribute, def uint32) uint32 {
	v, ok := l.value(attr)
	if !ok || !v.IsKnown() {
		return def
	}
	var text string
	switch v.Type() {
	case cty.Number:
		bf := v.AsBigFloat()
		if !bf.IsInt() || bf.Sign() < 0 {
			text = bf.Text('f', -1)
			break
		}
		text = bf.Text('f', 0)
	case cty.String:
		text = v.AsString()
	default:
		l.typeError(attr, errors.New(`an octal mode like "0644" is required`))
		return def
	}
	m, err := strconv.ParseUint(strings.TrimPrefix(strings.TrimPrefix(text, "0o"), "0"), 8, 32)
	if text == "0" || text == "0000" {
		m, err = 0, nil
	}
	if err != nil || m > 0o7777 {
		l.diags = append(l.diags, errorAt(attr.Expr.Range().Ptr(), "Invalid file mode",
			"%q is not an octal file mode; write it as a string of octal digits, like \"0644\" or \"0755\".", text))
		return def
	}
	return uint32(m)
}

func quoteList(s []string) string {
	q := make([]string, len(s))
	for i, v := range s {
		q[i] = strconv.Quote(v)
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}
