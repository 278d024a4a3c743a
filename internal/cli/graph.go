package cli

import (
	"bytes"
	"io"

	ucli "github.com/urfave/cli/v2"

	"github.com/proeftuin/proeftuin/internal/graph"
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
	format, err := outFormat(c, c.String("format"), graphExts)
	if err != nil {
		return err
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
	return announce(c, buf.Bytes())
}
