package cli

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	ucli "github.com/urfave/cli/v2"
)

// designCommands are the commands that need no engine: they read the
// environment's files and write something about them.
func designCommands() []*ucli.Command {
	return []*ucli.Command{
		validateCommand(),
		fmtCommand(),
		graphCommand(),
		designCommand(),
		versionCommand(),
	}
}

// noArgs refuses positional arguments, with a hint for the most likely
// mistake: naming the folder without --dir.
func noArgs(c *ucli.Context) error {
	if c.NArg() == 0 {
		return nil
	}
	return exit(ExitInvalid, fmt.Errorf("%s takes no arguments, got %q; to name the environment folder use --dir %s",
		c.Command.Name, c.Args().First(), c.Args().First()))
}

// oneOf validates a flag value against a fixed list.
func oneOf(flag string, allowed ...string) func(*ucli.Context, string) error {
	return func(_ *ucli.Context, v string) error {
		if !slices.Contains(allowed, v) {
			return exit(ExitInvalid, fmt.Errorf("invalid --%s %q: want %s", flag, v, strings.Join(allowed, " or ")))
		}
		return nil
	}
}

// parallelFlag is a --parallel of at least 1.
func parallelFlag(value int, usage string) ucli.Flag {
	return &ucli.IntFlag{Name: "parallel", Value: value, Usage: usage, Action: func(_ *ucli.Context, v int) error {
		if v < 1 {
			return exit(ExitInvalid, errors.New("--parallel must be at least 1"))
		}
		return nil
	}}
}

// plural writes "1 service", "2 services".
func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// File extensions of the formats design, report and graph write.
var (
	designExts = map[string]string{".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}
	reportExts = map[string]string{".json": "json", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".xml": "junit", ".txt": "text"}
	graphExts  = map[string]string{".mmd": "mermaid", ".mermaid": "mermaid", ".dot": "dot", ".gv": "dot", ".svg": "svg"}
)
