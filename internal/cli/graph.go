package cli

import (
	"bytes"
	"fmt"
	"io"

	ucli "github.com/urfave/cli/v2"

	"github.com/proeftuin/proeftuin/internal/graph"
	"github.com/proeftuin/proeftuin/internal/outfile"
	"github.com/proeftuin/proeftuin/internal/redact"
)

func graphCommand() *ucli.Command {
	return &ucli.Command{
		Name:        "graph",
		Usage:       "draw the topology as Mermaid, Graphviz DOT or SVG",
		ArgsUsage:   "[--format mermaid|dot|svg]",
		Description: help("graph"),
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "mermaid", Usage: "mermaid, dot or svg",
				Action: oneOf("format", "mermaid", "dot", "svg")},
			&ucli.StringFlag{Name: "out", Aliases: []string{"O"}, Usage: "write to `FILE` (UTF-8; .mmd, .dot or .svg) instead of standard output", TakesFile: true},
		},
		Action: runGraph,
	}
}

func runGraph(c *ucli.Context) error {
	if err := noArgs(c); err != nil {
		return err
	}
	set := ""
	if c.IsSet("format") {
		set = c.String("format")
	}
	out := c.String("out")
	format, err := outfile.Format(out, set, c.String("format"), graphExts)
	if err != nil {
		return exit(ExitInvalid, err)
	}
	env, err := loadEnv(c, nil)
	if err != nil {
		return err
	}
	g := graph.Build(env)
	var buf bytes.Buffer
	w := redact.Writer(&buf, env.Secrets)
	if format == "svg" {
		_, err = io.WriteString(w, graph.SVG(g))
	} else {
		err = graph.Write(w, g, format)
	}
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return exit(ExitFailed, err)
	}
	if out == "" || out == "-" {
		_, err = c.App.Writer.Write(buf.Bytes())
		return err
	}
	// The bytes are UTF-8 as made, unlike PowerShell 5.1's > (UTF-16).
	if err := outfile.WriteAtomic(out, buf.Bytes()); err != nil {
		return exit(ExitFailed, fmt.Errorf("write graph: %w", err))
	}
	if !outputJSON(c) {
		fmt.Fprintf(c.App.ErrWriter, "written %s\n", out)
	}
	return nil
}
