package runner

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/proeftuin/proeftuin/internal/report"
)

// ReportFlags are the settings of the report a run or check writes, as
// the user gave them on the command line.
type ReportFlags struct {
	Formats string // comma separated: json,md
	Lang    string
	Dir     string // the report folder, relative to the working folder
	Notes   string // a Markdown file with the student's reflection
	Author  string
}

// Options checks f and returns the options it sets: the canonical
// formats, the language, the report folder as an absolute path and the
// contents of the notes file. Every error is a mistake in the flags.
func (f ReportFlags) Options() (Options, error) {
	var o Options
	for _, name := range strings.Split(f.Formats, ",") {
		name = strings.ToLower(strings.TrimSpace(name))
		if name == "" {
			continue
		}
		if report.FileName(report.CanonicalFormat(name)) == "" {
			return o, fmt.Errorf("invalid --format %q: choose from %s", name, strings.Join(report.Formats, ", "))
		}
		o.Formats = append(o.Formats, report.CanonicalFormat(name))
	}
	if len(o.Formats) == 0 {
		return o, errors.New("--format names no format; give for example --format json,md")
	}
	o.Lang = f.Lang
	if !slices.Contains(report.Languages(), o.Lang) {
		return o, fmt.Errorf("invalid --lang %q: want %s", o.Lang, strings.Join(report.Languages(), " or "))
	}
	if f.Dir != "" {
		abs, err := filepath.Abs(f.Dir)
		if err != nil {
			return o, err
		}
		o.ReportDir = abs
	}
	notes, err := report.ReadNotes(f.Notes)
	if err != nil {
		return o, fmt.Errorf("--notes: %w", err)
	}
	o.Notes = notes
	o.Author = f.Author
	return o, nil
}
