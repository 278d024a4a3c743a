package design

import (
	_ "embed"
	"html/template"
	"io"
	"strings"

	"github.com/proeftuin/proeftuin/internal/redact"
)

//go:embed design.html.tmpl
var htmlSource string

var htmlTemplate = template.Must(template.New("design").Funcs(template.FuncMap{
	// svg marks the diagram as safe: graph.SVG escapes every text it
	// writes and the document redacts it.
	"svg": func(s string) template.HTML { return template.HTML(s) },
}).Parse(htmlSource))

// HTML writes the design of d as one self-contained HTML file: inline CSS,
// the topology as inline SVG, no scripts or network assets, laid out to
// print on A4.
func HTML(w io.Writer, d *Document, secrets []string) error {
	var b strings.Builder
	if err := htmlTemplate.Execute(&b, d); err != nil {
		return err
	}
	_, err := io.WriteString(w, redact.String(b.String(), secrets))
	return err
}
