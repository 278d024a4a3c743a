package cmdline

import (
	"fmt"
	"regexp"
	"strings"

	ucli "github.com/urfave/cli/v2"
)

// Prepare gives cmd and its subcommands the flags of global they do not
// define themselves (so they may follow the command name too), onUsage
// for flags that do not parse unless they have their own, and no "help"
// subcommand on a command without subcommands. A command with
// subcommands and no action of its own shows its help, or reports an
// unknown subcommand through invalid (which decides the exit code).
func Prepare(cmd *ucli.Command, global func() []ucli.Flag, onUsage ucli.OnUsageErrorFunc, invalid func(error) error) {
	defined := map[string]bool{}
	for _, f := range cmd.Flags {
		for _, n := range f.Names() {
			defined[n] = true
		}
	}
	for _, f := range global() {
		if !defined[f.Names()[0]] {
			cmd.Flags = append(cmd.Flags, f)
		}
	}
	if cmd.OnUsageError == nil {
		cmd.OnUsageError = onUsage
	}
	if len(cmd.Subcommands) == 0 {
		cmd.HideHelpCommand = true
	} else if cmd.Action == nil {
		cmd.Action = func(c *ucli.Context) error {
			if c.NArg() > 0 {
				name := c.Args().First()
				return invalid(fmt.Errorf("unknown command %q of %s.%s Run 'proeftuin %s --help' for its commands",
					name, cmd.Name, DidYouMean(name, CommandNames(cmd.Subcommands)), cmd.Name))
			}
			return ucli.ShowSubcommandHelp(c)
		}
	}
	for _, sub := range cmd.Subcommands {
		Prepare(sub, global, onUsage, invalid)
	}
}

// UsageError is err, a flag of c that does not parse, for the user: with
// the closest flag of the command and where to find help.
func UsageError(c *ucli.Context, err error) error {
	name := c.App.Name
	flags := c.App.Flags
	if c.Command != nil && c.Command.HelpName != "" {
		name = c.Command.HelpName
		flags = c.Command.Flags
	}
	hint := ""
	if bad, ok := strings.CutPrefix(err.Error(), "flag provided but not defined: "); ok {
		hint = DidYouMean("--"+strings.TrimLeft(bad, "-"), FlagNames(flags))
	}
	// The flag package says only "parse error" for a duration without a
	// unit (--wait-timeout 5): say what a duration looks like.
	if m := invalidValue.FindStringSubmatch(err.Error()); m != nil && isDurationFlag(flags, m[2]) {
		//lint:ignore ST1005 the last line of a usage error is a sentence for the user
		return fmt.Errorf("invalid value %q for --%s: write a duration with a unit, like 30s, 2m or 1h30m.\nRun '%s --help' for usage.", m[1], m[2], name)
	}
	//lint:ignore ST1005 the last line of a usage error is a sentence for the user
	return fmt.Errorf("%w.%s\nRun '%s --help' for usage.", err, hint, name)
}

// invalidValue is the flag package's error for a value that does not
// parse: the value and the flag's name.
var invalidValue = regexp.MustCompile(`^invalid value "(.*)" for flag -([a-z0-9-]+): `)

// isDurationFlag reports whether flags has a duration flag named name.
func isDurationFlag(flags []ucli.Flag, name string) bool {
	for _, f := range flags {
		if _, ok := f.(*ucli.DurationFlag); !ok {
			continue
		}
		for _, n := range f.Names() {
			if n == name {
				return true
			}
		}
	}
	return false
}
