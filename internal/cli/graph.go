package cli

import (
	"io"

	ucli "github.com/urfave/cli/v2"

	"github.com/proeftuin/proeftuin/internal/graph"
	"github.com/proeftuin/proeftuin/internal/redact"
)

func graphCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "graph",
		Usage:     "draw the topology as Mermaid, Graphviz DOT or SVG",
		ArgsUsage: "[--format mermaid|dot|svg]",
		Description: `Prints the services, networks and volumes of the environment and how they
are connected: published ports (127.0.0.1:8080 -> 80) and the image or
build folder on each service, internal networks dashed, static addresses
on the network lines, and an arrow for every depends_on.

Mermaid is drawn by GitHub, GitLab and most Markdown editors; DOT by
Graphviz; SVG is a network diagram for a document or a browser.

Examples:
   proeftuin graph
   proeftuin graph --format dot | dot -Tpng -o topologie.png
   proeftuin graph --format svg > topologie.svg`,
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "mermaid", Usage: "mermaid, dot or svg",
				Action: oneOf("format", "mermaid", "dot", "svg")},
		},
		Action: runGraph,
	}
}

func runGraph(c *ucli.Context) error {
	if err := noArgs(c); err != nil {
		return err
	}
	env, err := loadEnv(c, nil)
	if err != nil {
		return err
	}
	g := graph.Build(env)
	w := redact.Writer(c.App.Writer, env.Secrets)
	if format := c.String("format"); format == "svg" {
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
	return nil
}
