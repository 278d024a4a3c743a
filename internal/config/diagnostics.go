package config

import (
	"fmt"
	"sort"

	"github.com/hashicorp/hcl/v2"
)

// errorAt and warningAt build diagnostics in the project's style: a short
// summary, a detail that is a whole sentence, and the exact source range.
func errorAt(subject *hcl.Range, summary, detail string, args ...any) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  summary,
		Detail:   fmt.Sprintf(detail, args...),
		Subject:  subject,
	}
}

func warningAt(subject *hcl.Range, summary, detail string, args ...any) *hcl.Diagnostic {
	d := errorAt(subject, summary, detail, args...)
	d.Severity = hcl.DiagWarning
	return d
}

// rangePtr copies r so diagnostics never alias a model's range.
func rangePtr(r hcl.Range) *hcl.Range { return &r }

// duplicateBlock reports blk as a second block of a type that may stand
// only once; detail says where the first one is and what to do.
func (l *loader) duplicateBlock(blk *hcl.Block, detail string, args ...any) {
	l.diags = append(l.diags, errorAt(rangePtr(blk.DefRange), "Duplicate "+blk.Type+" block", detail, args...))
}

// at renders a range as file:line for "already declared at ..." details.
func at(r hcl.Range) string {
	return fmt.Sprintf("%s:%d", r.Filename, r.Start.Line)
}

// sortDiagnostics orders diagnostics the way a reader meets them: syntax
// errors first (what follows them may be a consequence of the guess the
// parser made to recover), then unsupported block types (a misspelled
// "servise" block is left out, so every reference to what it declares
// fails too: the cause must come before its consequences, also when they
// are in files read earlier or more than the text output shows), then
// those without a source (command line, environment), then by file in
// load order and position. The sort is stable so diagnostics at one
// position keep the order they were produced in. HCL reports some
// problems (unsupported arguments) while ranging over a map, so without
// this the first error of a file would change from run to run.
func sortDiagnostics(diags hcl.Diagnostics, fileOrder map[string]int, syntax map[*hcl.Diagnostic]bool) {
	key := func(d *hcl.Diagnostic) (rank, file, pos int) {
		switch {
		case syntax[d]:
			return 0, 0, 0
		case d.Subject == nil:
			return 2, 0, 0
		case d.Severity == hcl.DiagError && d.Summary == "Unsupported block type":
			rank = 1
		default:
			rank = 3
		}
		idx, ok := fileOrder[d.Subject.Filename]
		if !ok {
			idx = len(fileOrder)
		}
		return rank, idx, d.Subject.Start.Byte
	}
	sort.SliceStable(diags, func(i, j int) bool {
		ri, fi, bi := key(diags[i])
		rj, fj, bj := key(diags[j])
		if ri != rj {
			return ri < rj
		}
		if fi != fj {
			return fi < fj
		}
		return bi < bj
	})
}

// truncate shortens s to at most n runes for a diagnostic, so that a
// megabyte-long value does not become a megabyte-long message.
func truncate(s string, n int) string {
	i := 0
	for j := range s {
		if i == n {
			return s[:j] + "…"
		}
		i++
	}
	return s
}
