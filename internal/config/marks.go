package config

import (
	"github.com/zclconf/go-cty/cty"
)

// sensitiveMark marks values derived from sensitive variables. HCL and cty
// carry marks through expressions and function calls, so a value built
// from a secret ("user:${var.db_password}") stays marked and Service.
// SensitiveEnv can name the env keys to mask.
type marker string

const sensitiveMark = marker("sensitive")

func hasSensitive(marks cty.ValueMarks) bool {
	_, ok := marks[sensitiveMark]
	return ok
}

// secretStrings returns the non-empty string forms of every primitive
// value inside v, for Environment.Secrets.
func secretStrings(v cty.Value) []string {
	v, _ = v.UnmarkDeep()
	var out []string
	_ = cty.Walk(v, func(_ cty.Path, e cty.Value) (bool, error) {
		if !e.IsKnown() || e.IsNull() || !e.Type().IsPrimitiveType() {
			return true, nil
		}
		if s, err := asString(e); err == nil && s != "" {
			out = append(out, s)
		}
		return true, nil
	})
	return out
}
