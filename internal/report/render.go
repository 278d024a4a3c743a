package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/proeftuin/proeftuin/internal/atomicfile"
)

// Formats lists the formats Render knows, in the order Write writes them.
var Formats = []string{"json", "md", "html", "junit", "text"}

// fileNames are the names Write gives each format.
var fileNames = map[string]string{
	"json":  "result.json",
	"md":    "report.md",
	"html":  "report.html",
	"junit": "junit.xml",
	"text":  "summary.txt",
}

// CanonicalFormat maps the aliases Render accepts (markdown, xml, txt;
// any case, spaces around) to the names of Formats.
func CanonicalFormat(f string) string {
	switch f = strings.ToLower(strings.TrimSpace(f)); f {
	case "markdown":
		return "md"
	case "xml":
		return "junit"
	case "txt":
		return "text"
	}
	return f
}

// FileName is the file name Write uses for format ("" if unknown).
func FileName(format string) string { return fileNames[format] }

// Render writes r in format (md, html, junit, text or json) and language
// lang (see Languages; "" is DefaultLang). It reads only r.
func Render(w io.Writer, r *Result, format, lang string) error {
	switch format {
	case "md", "markdown":
		return RenderMarkdown(w, r, lang)
	case "html":
		return RenderHTML(w, r, lang)
	case "junit", "xml":
		return RenderJUnit(w, r, lang)
	case "text", "txt":
		return RenderText(w, r, lang)
	case "json":
		return RenderJSON(w, r, lang)
	}
	return fmt.Errorf("report: unknown format %q: choose one of %s", format, strings.Join(Formats, ", "))
}

// catalogueFor is how every renderer starts: the messages in lang, and an
// error for an unknown language or a missing result.
func catalogueFor(r *Result, lang string) (messages, error) {
	m, err := catalogue(lang)
	if err != nil {
		return m, err
	}
	if r == nil {
		return m, errors.New("report: no result")
	}
	return m, nil
}

// RenderJSON writes the document as indented JSON. lang is checked but
// does not change the output: result.json is language-neutral. A document
// without a schema version is written with the current one.
func RenderJSON(w io.Writer, r *Result, lang string) error {
	if _, err := catalogueFor(r, lang); err != nil {
		return err
	}
	doc := *r
	if doc.Schema == 0 {
		doc.Schema = SchemaVersion
	}
	if doc.Matrix == nil {
		doc.Matrix = []MatrixRow{} // "requirements" is always an array
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(&doc)
}

// Load reads a result.json. It refuses a document written by a newer
// proeftuin with a schema this one does not know, and a file that is not a
// result document at all.
func Load(path string) (*Result, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	var head struct {
		Schema *int `json:"schema"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, fmt.Errorf("report: %s is not a valid result document: %w", path, err)
	}
	switch {
	case head.Schema == nil:
		return nil, fmt.Errorf("report: %s is not a proeftuin result document (it has no \"schema\" field)", path)
	case *head.Schema > SchemaVersion:
		return nil, fmt.Errorf("report: %s has schema version %d, but this proeftuin reads up to version %d; update proeftuin to read it", path, *head.Schema, SchemaVersion)
	case *head.Schema < 1:
		return nil, fmt.Errorf("report: %s has an invalid schema version %d", path, *head.Schema)
	}
	var r Result
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("report: %s is not a valid result document: %w", path, err)
	}
	return &r, nil
}

// Write renders r in each of formats into dir (created if needed) and
// returns the paths written, in the order of formats. Every file is
// written to a temporary file in dir first and renamed into place, so a
// reader never sees half a report. Formats and language are checked before
// anything is written; a repeated format is written once.
func Write(dir string, r *Result, formats []string, lang string) ([]string, error) {
	if r == nil {
		return nil, errors.New("report: no result")
	}
	if _, err := catalogue(lang); err != nil {
		return nil, err
	}
	var todo []string
	seen := map[string]bool{}
	for _, f := range formats {
		f = CanonicalFormat(f)
		if fileNames[f] == "" {
			return nil, fmt.Errorf("report: unknown format %q: choose one of %s", f, strings.Join(Formats, ", "))
		}
		if !seen[f] {
			seen[f] = true
			todo = append(todo, f)
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	sweepTemps(dir)
	return writeFormats(dir, todo, fileNames, func(w io.Writer, f string) error {
		return Render(w, r, f, lang)
	})
}

// writeFormats renders each format in formats and writes it atomically
// into dir under its name in files. It returns the paths written, also
// those before an error.
func writeFormats(dir string, formats []string, files map[string]string, render func(w io.Writer, format string) error) ([]string, error) {
	var paths []string
	for _, f := range formats {
		var buf bytes.Buffer
		if err := render(&buf, f); err != nil {
			return paths, err
		}
		p := filepath.Join(dir, files[f])
		if err := atomicfile.Write(p, buf.Bytes(), 0o644); err != nil {
			return paths, fmt.Errorf("report: %w", err)
		}
		paths = append(paths, p)
	}
	return paths, nil
}
