// Package diag renders HCL diagnostics for people (file:line:col, the
// source line and a caret under the offending range) and for machines
// (JSON).
package diag

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
)

// VT100 colours; only used when the caller asks for colour.
const (
	red    = "\x1b[31m"
	yellow = "\x1b[33m"
	bold   = "\x1b[1m"
	reset  = "\x1b[0m"
)

// Render writes every diagnostic in a compiler-like form:
//
//	main.hcl:3:5: error: Unsupported argument
//
//	    3 |   imagee = "nginx:1.27"
//	      |   ^^^^^^
//
//	  An argument named "imagee" is not expected here.
//
// The first line is what editors and CI log parsers recognise. files maps
// a Subject's Filename to its parsed file for the source line; a file that
// is missing only loses the excerpt. width > 0 wraps the detail text.
func Render(w io.Writer, files map[string]*hcl.File, diags hcl.Diagnostics, color bool, width uint) error {
	var buf bytes.Buffer
	for i, d := range diags {
		if i > 0 {
			buf.WriteByte('\n')
		}
		renderOne(&buf, files, d, color, width)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

func renderOne(buf *bytes.Buffer, files map[string]*hcl.File, d *hcl.Diagnostic, color bool, width uint) {
	sev, col := "error", red
	if d.Severity == hcl.DiagWarning {
		sev, col = "warning", yellow
	}
	paint := func(code, s string) string {
		if !color {
			return s
		}
		return code + s + reset
	}

	if d.Subject != nil {
		fmt.Fprintf(buf, "%s: ", position(d.Subject))
	}
	fmt.Fprintf(buf, "%s: %s\n", paint(col, sev), paint(bold, d.Summary))

	if d.Subject != nil {
		if f := files[d.Subject.Filename]; f != nil {
			excerpt(buf, f.Bytes, *d.Subject, func(s string) string { return paint(col, s) })
		}
	}
	if detail := strings.TrimSpace(d.Detail); detail != "" {
		buf.WriteByte('\n')
		for _, para := range strings.Split(detail, "\n") {
			for _, line := range wrap(para, width) {
				if line == "" {
					buf.WriteByte('\n')
					continue
				}
				fmt.Fprintf(buf, "  %s\n", line)
			}
		}
	}
}

// position formats a range's start as file:line:col.
func position(r *hcl.Range) string {
	return fmt.Sprintf("%s:%d:%d", r.Filename, r.Start.Line, r.Start.Column)
}

// excerpt writes the source line of r.Start and a caret line under the
// part of it that r covers.
func excerpt(buf *bytes.Buffer, src []byte, r hcl.Range, paint func(string) string) {
	lines := bytes.Split(src, []byte("\n"))
	if r.Start.Line < 1 || r.Start.Line > len(lines) {
		return
	}
	line := strings.TrimRight(string(lines[r.Start.Line-1]), "\r")

	// Find the byte offset of the start within its line: Byte is an
	// offset into the file, so subtract the lengths of the lines before.
	lineStart := 0
	for _, l := range lines[:r.Start.Line-1] {
		lineStart += len(l) + 1
	}
	from := r.Start.Byte - lineStart
	if from < 0 || from > len(line) {
		from = 0
	}
	to := len(line)
	if r.End.Line == r.Start.Line {
		if e := r.End.Byte - lineStart; e >= from && e <= len(line) {
			to = e
		}
	}

	// Tabs stay tabs so the caret lines up whatever the tab width; every
	// other rune becomes one space.
	var pad strings.Builder
	for _, c := range line[:from] {
		if c == '\t' {
			pad.WriteByte('\t')
		} else {
			pad.WriteByte(' ')
		}
	}
	n := utf8.RuneCountInString(line[from:to])
	if n < 1 {
		n = 1
	}

	num := fmt.Sprint(r.Start.Line)
	gutter := strings.Repeat(" ", len(num))
	fmt.Fprintf(buf, "\n  %s | %s\n", num, line)
	fmt.Fprintf(buf, "  %s | %s%s\n", gutter, pad.String(), paint(strings.Repeat("^", n)))
}

// wrap breaks s into lines of at most width columns (minus the indent);
// width 0 means no wrapping.
func wrap(s string, width uint) []string {
	const indent = 2
	if width <= indent+10 || uint(len(s)) <= width-indent {
		return []string{s}
	}
	max := int(width) - indent
	var out []string
	var cur strings.Builder
	for _, word := range strings.Fields(s) {
		if cur.Len() > 0 && cur.Len()+1+len(word) > max {
			out = append(out, cur.String())
			cur.Reset()
		}
		if cur.Len() > 0 {
			cur.WriteByte(' ')
		}
		cur.WriteString(word)
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

// Diagnostic is the JSON form of one hcl.Diagnostic.
type Diagnostic struct {
	Severity string `json:"severity"` // "error" | "warning"
	Summary  string `json:"summary"`
	Detail   string `json:"detail,omitempty"`
	Filename string `json:"filename,omitempty"`
	Start    *Pos   `json:"start,omitempty"`
	End      *Pos   `json:"end,omitempty"`
}

// Pos is a position in a file: 1-based line and column, 0-based byte.
type Pos struct {
	Line   int `json:"line"`
	Column int `json:"column"`
	Byte   int `json:"byte"`
}

// JSON converts diags for encoding; never nil, so an empty list encodes
// as [] rather than null.
func JSON(diags hcl.Diagnostics) []Diagnostic {
	out := make([]Diagnostic, 0, len(diags))
	for _, d := range diags {
		j := Diagnostic{Severity: "error", Summary: d.Summary, Detail: d.Detail}
		if d.Severity == hcl.DiagWarning {
			j.Severity = "warning"
		}
		if r := d.Subject; r != nil {
			j.Filename = r.Filename
			j.Start = &Pos{Line: r.Start.Line, Column: r.Start.Column, Byte: r.Start.Byte}
			j.End = &Pos{Line: r.End.Line, Column: r.End.Column, Byte: r.End.Byte}
		}
		out = append(out, j)
	}
	return out
}

// Map returns a copy of diags with f applied to every Summary and Detail,
// e.g. to redact secrets before rendering.
func Map(diags hcl.Diagnostics, f func(string) string) hcl.Diagnostics {
	out := make(hcl.Diagnostics, len(diags))
	for i, d := range diags {
		c := *d
		c.Summary = f(d.Summary)
		c.Detail = f(d.Detail)
		out[i] = &c
	}
	return out
}
