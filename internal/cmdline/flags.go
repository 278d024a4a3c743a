package cmdline

import (
	"slices"

	ucli "github.com/urfave/cli/v2"
)

// A global flag is accepted before the command and after it (`proeftuin
// -C lab validate` and `proeftuin validate -C lab`): every command has a
// copy. String, Bool and Strings read such a flag wherever it was given.

// setLocally reports whether ctx's own flag set (not a parent's) has name.
func setLocally(ctx *ucli.Context, name string) bool {
	return ctx.Command != nil && slices.Contains(ctx.LocalFlagNames(), name)
}

// String is the value of a global flag wherever it was given; the
// command's level wins over the app's.
func String(c *ucli.Context, name string) string {
	for _, ctx := range c.Lineage() {
		if setLocally(ctx, name) {
			return ctx.String(name)
		}
	}
	return c.String(name)
}

// Bool is String for booleans.
func Bool(c *ucli.Context, name string) bool {
	for _, ctx := range c.Lineage() {
		if setLocally(ctx, name) {
			return ctx.Bool(name)
		}
	}
	return c.Bool(name)
}

// Strings gathers a repeatable global flag from every level, the app's
// first, so later assignments win as they do on the command line.
func Strings(c *ucli.Context, name string) []string {
	var out []string
	lineage := c.Lineage()
	for i := len(lineage) - 1; i >= 0; i-- {
		if setLocally(lineage[i], name) {
			out = append(out, lineage[i].StringSlice(name)...)
		}
	}
	return out
}
