package design

import (
	_ "embed"
	"html/template"
	"io"
	"strings"

	"github.com/proeftuin/proeftuin/internal/htmlwrap"
)

//go:embed design.html.tmpl
var htmlSource string

var htmlTemplate = template.Must(template.New("design").Funcs(template.FuncMap{
	// svg marks the diagram as safe: graph.SVG escapes every text it
	// writes and the document redacts it.
	"svg":   func(s string) template.HTML { return template.HTML(s) },
	"words": htmlwrap.Words,
	// id marks a cell that holds one identifier (a requirement, a
	// service): it never wraps.
	"id": func(c Cell) bool { return c.Code && len(c.Items) == 1 && !strings.ContainsAny(c.Items[0], " \t") },
}).Parse(htmlSource))

// HTML writes the design of d as one self-contained HTML file: inline CSS,
// the topology as inline SVG, no scripts or network assets, laid out to
// print on A4.
func HTML(w io.Writer, d *Document, secrets []string) error {
	var b strings.Builder
	if err := htmlTemplate.Execute(&b, d); err != nil {
		return err
	}
	_, err := io.WriteString(w, redactIn(d.Lang, b.String(), secrets))
	return err
}
