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

	"github.com/proeftuin/proeftuin/internal/redact"
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
	idx := map[string][]int{} // line start offsets per file, computed once
	shown := diags
	if len(shown) > MaxRendered {
		shown = shown[:MaxRendered]
	}
	for i, d := range shown {
		if i > 0 {
			buf.WriteByte('\n')
		}
		renderOne(&buf, files, idx, d, color, width)
	}
	if rest := diags[len(shown):]; len(rest) > 0 {
		errs := 0
		for _, d := range rest {
			if d.Severity == hcl.DiagError {
				errs++
			}
		}
		fmt.Fprintf(&buf, "\n… and %d more (%d errors, %d warnings) not shown: fix the ones above first, or use --output json to see them all.\n",
			len(rest), errs, len(rest)-errs)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// MaxRendered is how many diagnostics Render writes in full. A broken
// file can produce thousands of follow-on errors; after the first few
// they only bury the one that matters.
const MaxRendered = 20

// maxExcerpt is how many runes of a source line an excerpt shows; a longer
// line is cut to a window around the range.
const maxExcerpt = 160

func renderOne(buf *bytes.Buffer, files map[string]*hcl.File, idx map[string][]int, d *hcl.Diagnostic, color bool, width uint) {
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
			starts, ok := idx[d.Subject.Filename]
			if !ok {
				starts = lineStarts(f.Bytes)
				idx[d.Subject.Filename] = starts
			}
			excerpt(buf, f.Bytes, starts, *d.Subject, func(s string) string { return paint(col, s) })
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

// lineStarts returns the byte offset at which every line of src starts.
func lineStarts(src []byte) []int {
	starts := []int{0}
	for i, c := range src {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// excerpt writes the source line of r.Start and a caret line under the
// part of it that r covers. starts is lineStarts(src).
func excerpt(buf *bytes.Buffer, src []byte, starts []int, r hcl.Range, paint func(string) string) {
	if r.Start.Line < 1 || r.Start.Line > len(starts) {
		return
	}
	lineStart := starts[r.Start.Line-1]
	end := len(src)
	if r.Start.Line < len(starts) {
		end = starts[r.Start.Line] - 1
	}
	if lineStart > end {
		return
	}
	line := strings.TrimRight(string(src[lineStart:end]), "\r")
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
	line, from, to = window(line, from, to)

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

// window cuts a long line to at most maxExcerpt runes around [from, to),
// marking each cut with "…", and returns the offsets within the cut line.
func window(line string, from, to int) (string, int, int) {
	if utf8.RuneCountInString(line) <= maxExcerpt {
		return line, from, to
	}
	// Keep some context before the range, then as much of it as fits.
	lo := from
	for n := 0; lo > 0 && n < 20; n++ {
		_, size := utf8.DecodeLastRuneInString(line[:lo])
		lo -= size
	}
	hi := lo
	for n := 0; hi < len(line) && n < maxExcerpt; n++ {
		_, size := utf8.DecodeRuneInString(line[hi:])
		hi += size
	}
	prefix, suffix := "", ""
	if lo > 0 {
		prefix = "…"
	}
	if hi < len(line) {
		suffix = "…"
	}
	if to > hi {
		to = hi
	}
	return prefix + line[lo:hi] + suffix, from - lo + len(prefix), to - lo + len(prefix)
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

// JSONRedacted is JSON with secrets hidden in every text.
func JSONRedacted(diags hcl.Diagnostics, secrets []string) []Diagnostic {
	return JSON(Map(diags, func(s string) string { return redact.String(s, secrets) }))
}
