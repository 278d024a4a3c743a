package cli

import (
	"embed"
	"fmt"
	"strings"
)

// The long help of every command (its Description: what it does, exit
// codes, examples) is prose for the user, and docs/cli.md is generated
// from it; it lives in help/COMMAND.txt, where it reads and is edited as
// text, apart from the flag wiring. A subcommand's file is named
// PARENT-COMMAND.txt.
//
//go:embed help/*.txt
var helpFiles embed.FS

// help is the long help of command. A missing file is a mistake in the
// build, not in the input: every test that builds the app finds it.
func help(command string) string {
	b, err := helpFiles.ReadFile("help/" + command + ".txt")
	if err != nil {
		panic(fmt.Sprintf("no help text for %s: %v", command, err))
	}
	return strings.TrimSuffix(string(b), "\n")
}
