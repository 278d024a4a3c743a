package graph

import (
	"fmt"
	"io"
	"strings"
)

// Formats lists the text formats Write accepts.
var Formats = []string{"mermaid", "dot"}

// Write renders g in format ("mermaid" or "dot").
func Write(w io.Writer, g *Graph, format string) error {
	var s string
	switch format {
	case "mermaid", "":
		s = g.Mermaid()
	case "dot":
		s = g.DOT()
	default:
		return fmt.Errorf("unknown graph format %q (want mermaid or dot)", format)
	}
	_, err := io.WriteString(w, s)
	return err
}

// Mermaid renders a `flowchart LR`. Services are boxes, networks hexagons
// (internal ones dashed), volumes cylinders; attachments are plain lines
// labelled with a static address, mounts dotted lines labelled with the
// target, depends_on arrows point at the service waited for.
func (g *Graph) Mermaid() string {
	var b strings.Builder
	b.WriteString("flowchart LR\n")
	classes := map[string][]string{}
	var order []string
	class := func(c, id string) {
		if _, ok := classes[c]; !ok {
			order = append(order, c)
		}
		classes[c] = append(classes[c], id)
	}
	for _, n := range g.Nodes {
		label := mermaidText(append([]string{n.Name}, n.Lines...))
		switch n.Kind {
		case Service:
			fmt.Fprintf(&b, "  %s[\"%s\"]\n", n.ID, label)
			class("service", n.ID)
		case Network:
			fmt.Fprintf(&b, "  %s{{\"%s\"}}\n", n.ID, label)
			if n.Internal {
				class("internal", n.ID)
			} else {
				class("network", n.ID)
			}
		case Volume:
			fmt.Fprintf(&b, "  %s[(\"%s\")]\n", n.ID, label)
			class("volume", n.ID)
		}
	}
	for _, e := range g.Edges {
		var link string
		switch e.Kind {
		case Attach:
			link = "---"
		case Mount:
			link = "-.-"
		default:
			link = "-->"
		}
		if e.Label != "" {
			fmt.Fprintf(&b, "  %s %s|\"%s\"| %s\n", e.From, link, mermaidText([]string{e.Label}), e.To)
		} else {
			fmt.Fprintf(&b, "  %s %s %s\n", e.From, link, e.To)
		}
	}
	styles := map[string]string{
		"service":  "fill:#e8f1fb,stroke:#1f5f99",
		"network":  "fill:#eef7ee,stroke:#2e7d32",
		"internal": "fill:#fff4e5,stroke:#b26a00,stroke-dasharray:5 5",
		"volume":   "fill:#f3eefa,stroke:#5e35b1",
	}
	for _, c := range order {
		fmt.Fprintf(&b, "  classDef %s %s\n", c, styles[c])
	}
	for _, c := range order {
		fmt.Fprintf(&b, "  class %s %s\n", strings.Join(classes[c], ","), c)
	}
	return b.String()
}

// mermaidText joins lines with <br/> inside a quoted Mermaid label, where
// a double quote must be written as an entity.
func mermaidText(lines []string) string {
	for i, l := range lines {
		l = strings.ReplaceAll(l, `"`, "#quot;")
		lines[i] = l
	}
	return strings.Join(lines, "<br/>")
}

// DOT renders a Graphviz digraph with the same shapes as Mermaid.
func (g *Graph) DOT() string {
	var b strings.Builder
	fmt.Fprintf(&b, "digraph %s {\n", dotQuote(g.Name))
	b.WriteString("  rankdir=LR;\n")
	b.WriteString("  node [fontname=\"Helvetica\", fontsize=11];\n")
	b.WriteString("  edge [fontname=\"Helvetica\", fontsize=9];\n")
	for _, n := range g.Nodes {
		label := dotQuote(strings.Join(append([]string{n.Name}, n.Lines...), "\n"))
		switch n.Kind {
		case Service:
			fmt.Fprintf(&b, "  %s [shape=box, style=\"rounded,filled\", fillcolor=\"#e8f1fb\", label=%s];\n", n.ID, label)
		case Network:
			style := "filled"
			fill := "#eef7ee"
			if n.Internal {
				style, fill = "\"dashed,filled\"", "#fff4e5"
			}
			fmt.Fprintf(&b, "  %s [shape=hexagon, style=%s, fillcolor=\"%s\", label=%s];\n", n.ID, style, fill, label)
		case Volume:
			fmt.Fprintf(&b, "  %s [shape=cylinder, style=filled, fillcolor=\"#f3eefa\", label=%s];\n", n.ID, label)
		}
	}
	for _, e := range g.Edges {
		var attrs []string
		switch e.Kind {
		case Attach:
			attrs = append(attrs, "dir=none")
		case Mount:
			attrs = append(attrs, "dir=none", "style=dotted")
		case DependsOn:
			attrs = append(attrs, "style=bold")
		}
		if e.Label != "" {
			attrs = append(attrs, "label="+dotQuote(e.Label))
		}
		fmt.Fprintf(&b, "  %s -> %s [%s];\n", e.From, e.To, strings.Join(attrs, ", "))
	}
	b.WriteString("}\n")
	return b.String()
}

// dotQuote makes a DOT string: quotes and backslashes escaped, newlines
// as \n (centred lines).
func dotQuote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}
