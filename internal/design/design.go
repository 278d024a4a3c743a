package design

import (
	"fmt"
	"io"
	"time"

	"github.com/proeftuin/proeftuin/internal/config"
)

// Formats lists the output formats Write accepts.
var Formats = []string{"md", "html"}

// Write builds the design of env and renders it in format ("md" or
// "html").
func Write(w io.Writer, env *config.Environment, format string, opts Options) error {
	d := Build(env, opts)
	switch format {
	case "md", "markdown", "":
		return Markdown(w, d, env.Secrets)
	case "html":
		return HTML(w, d, env.Secrets)
	}
	return fmt.Errorf("unknown design format %q (want md or html)", format)
}

// Date writes t as a cover date in lang: 12-03-2026 in Dutch, 2026-03-12
// in English.
func Date(lang string, t time.Time) string {
	if lang == "en" {
		return t.Format("2006-01-02")
	}
	return t.Format("02-01-2006")
}
