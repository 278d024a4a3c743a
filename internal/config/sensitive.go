package config

import (
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// DiagnosticSecrets is what to hide in the diagnostics of a load: the
// environment's Secrets plus the values a failed load may not have
// recorded there yet, namely the literal default of every variable
// declared sensitive (a default that does not fit the variable's type is
// shown in the diagnostic's source line) and the values of vars
// ("NAME=VALUE", as --var) given for such a variable. env may be nil.
func DiagnosticSecrets(env *Environment, vars []string) []string {
	if env == nil {
		return nil
	}
	secrets := slices.Clone(env.Secrets)
	sensitive := map[string]bool{}
	for _, name := range slices.Sorted(maps.Keys(env.Files)) {
		body, ok := env.Files[name].Body.(*hclsyntax.Body)
		if !ok {
			continue
		}
		for _, blk := range body.Blocks {
			if blk.Type != "variable" || len(blk.Labels) != 1 || !literalTrue(blk.Body.Attributes["sensitive"]) {
				continue
			}
			sensitive[blk.Labels[0]] = true
			if v, ok := literalString(blk.Body.Attributes["default"]); ok {
				secrets = append(secrets, v)
			}
		}
	}
	for _, v := range env.Variables {
		if v.Sensitive {
			sensitive[v.Name] = true
		}
	}
	for _, kv := range vars {
		if name, value, ok := strings.Cut(kv, "="); ok && sensitive[name] && value != "" {
			secrets = append(secrets, value)
		}
	}
	return secrets
}

// literalTrue reports whether a is the constant true.
func literalTrue(a *hclsyntax.Attribute) bool {
	if a == nil {
		return false
	}
	v, diags := a.Expr.Value(nil)
	return !diags.HasErrors() && v.IsKnown() && !v.IsNull() && v.Type() == cty.Bool && v.True()
}

// literalString is a's value when it is a constant string.
func literalString(a *hclsyntax.Attribute) (string, bool) {
	if a == nil {
		return "", false
	}
	v, diags := a.Expr.Value(nil)
	if diags.HasErrors() || !v.IsKnown() || v.IsNull() || v.Type() != cty.String {
		return "", false
	}
	return v.AsString(), true
}
