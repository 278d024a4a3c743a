package cli

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/proeftuin/proeftuin/internal/atomicfile"
	"github.com/proeftuin/proeftuin/internal/outfile"
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
			last := len(allowed) - 1
			want := strings.Join(allowed[:last], ", ") + " or " + allowed[last]
			return exit(ExitInvalid, fmt.Errorf("invalid --%s %q: want %s", flag, v, want))
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

// outFormat is the format of --out: from --format when given, else from
// the file's extension (exts), else def.
func outFormat(c *ucli.Context, def string, exts map[string]string) (string, error) {
	set := ""
	if c.IsSet("format") {
		set = c.String("format")
	}
	format, err := outfile.Format(c.String("out"), set, def, exts)
	if err != nil {
		return "", exit(ExitInvalid, err)
	}
	return format, nil
}

// writeOut writes data to --out whole or not at all (UTF-8 as made,
// unlike PowerShell 5.1's >), or to stdout without --out or with "-".
// It reports whether a file was written.
func writeOut(c *ucli.Context, data []byte) (bool, error) {
	out := c.String("out")
	if out == "" || out == "-" {
		_, err := c.App.Writer.Write(data)
		return false, err
	}
	if err := atomicfile.Write(out, data, 0o644); err != nil {
		return false, exit(ExitFailed, err)
	}
	return true, nil
}

// announce is writeOut that says on stderr which file it wrote.
func announce(c *ucli.Context, data []byte) error {
	wrote, err := writeOut(c, data)
	if wrote && !outputJSON(c) {
		fmt.Fprintf(c.App.ErrWriter, "written %s\n", c.String("out"))
	}
	return err
}
