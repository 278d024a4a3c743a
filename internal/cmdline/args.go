// Package cmdline reads a command line against a urfave/cli/v2 command
// tree: it lets flags follow arguments (Reorder), suggests the name that
// was probably meant (DidYouMean) and completes the word being typed
// (Complete). It knows nothing of proeftuin's commands: the caller passes
// its app and what to complete.
package cmdline

import (
	"slices"
	"strings"

	ucli "github.com/urfave/cli/v2"
)

// Reorder lets flags come before or after positional arguments on
// every command. urfave/cli stops reading flags at a command's first
// argument, so `bundle import lab.tar.gz --force` would take --force for a
// folder name. Reorder walks args (args[0] is the program) down the
// command tree the way urfave/cli does, and for the command reached moves
// its flags, with their values as that command's own flag definitions
// say, in front of its arguments, which follow a "--". A "--" written by
// the user ends flags: what follows stays an argument. Commands that parse
// their own flags (SkipFlagParsing) are left alone. verbatimAfter names
// the commands whose arguments end in a command line of their own, and
// after how many arguments it starts: everything from there on (at its
// first word that is not a flag, or after "--") is that command's, flags
// included (exec web sh -c 'ls -l').
func Reorder(app *ucli.App, args []string, verbatimAfter map[string]int) []string {
	if len(args) < 2 {
		return args
	}
	out := []string{args[0]}
	rest := args[1:]
	flags, commands := app.Flags, app.Commands
	for {
		// The flags of this level, up to its first argument.
		i := 0
		for i < len(rest) && isFlagArg(rest[i]) {
			i += flagWidth(flags, rest, i)
		}
		out = append(out, rest[:i]...)
		rest = rest[i:]
		if len(rest) == 0 {
			return out
		}
		cmd := findCommand(commands, rest[0])
		if cmd == nil {
			// A group's unknown subcommand, an unknown command, or "--":
			// urfave/cli reports it as written.
			return append(out, rest...)
		}
		out = append(out, rest[0])
		rest = rest[1:]
		switch {
		case cmd.SkipFlagParsing:
			return append(out, rest...)
		case len(cmd.Subcommands) > 0:
			flags, commands = cmd.Flags, cmd.Subcommands
			continue
		}
		return append(out, splitFlags(cmd.Flags, rest, verbatimAfter[cmd.Name])...)
	}
}

// splitFlags puts the flags of args (with their values) first and the
// arguments after a "--". With verbatim > 0, the arguments from the
// verbatim+1st on are taken as they are.
func splitFlags(flags []ucli.Flag, args []string, verbatim int) []string {
	var fl, pos []string
	for i := 0; i < len(args); {
		switch a := args[i]; {
		case verbatim > 0 && len(pos) == verbatim && !isFlagArg(a):
			pos = append(pos, args[i:]...)
			i = len(args)
		case a == "--":
			pos = append(pos, args[i+1:]...)
			i = len(args)
		case isFlagArg(a):
			n := flagWidth(flags, args, i)
			fl = append(fl, args[i:i+n]...)
			i += n
		default:
			pos = append(pos, a)
			i++
		}
	}
	if len(pos) == 0 || slices.ContainsFunc(fl, isHelpFlag) {
		// Help names no topic here: `verify LAB --help` is help on verify.
		return fl
	}
	return append(append(fl, "--"), pos...)
}

// isFlagArg reports whether a looks like a flag ("-x", "--name=v"); "-"
// alone (standard input) and "--" are not flags.
func isFlagArg(a string) bool { return len(a) > 1 && a[0] == '-' && a != "--" }

func isHelpFlag(a string) bool { return a == "-h" || a == "--help" || a == "-help" }

// flagWidth is how many arguments the flag at args[i] takes up: two when
// the flag is defined as taking a value not given with "=", else one.
// Unknown flags take one; urfave/cli reports them.
func flagWidth(flags []ucli.Flag, args []string, i int) int {
	name := strings.TrimLeft(args[i], "-")
	if strings.Contains(name, "=") || i+1 >= len(args) {
		return 1
	}
	f := lookupFlag(flags, name)
	if f == nil {
		return 1
	}
	if v, ok := f.(interface{ TakesValue() bool }); ok && v.TakesValue() {
		return 2
	}
	return 1
}

func lookupFlag(flags []ucli.Flag, name string) ucli.Flag {
	for _, f := range flags {
		for _, n := range f.Names() {
			if n == name {
				return f
			}
		}
	}
	return nil
}

func findCommand(commands []*ucli.Command, name string) *ucli.Command {
	for _, c := range commands {
		if c.HasName(name) {
			return c
		}
	}
	return nil
}
