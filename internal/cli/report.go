package cli

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/proeftuin/proeftuin/internal/outfile"
	"github.com/proeftuin/proeftuin/internal/report"
)

func reportCommand() *ucli.Command {
	return &ucli.Command{
		Name:        "report",
		Usage:       "render a stored result (result.json) in another format or language",
		Description: help("report"),
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "in", Usage: "the result `FILE` (result.json) to render", Required: true, TakesFile: true},
			&ucli.StringFlag{Name: "format", Usage: "`FORMAT`: " + strings.Join(report.Formats, ", ")},
			&ucli.StringFlag{Name: "lang", Value: report.DefaultLang, Usage: "`LANGUAGE`: " + strings.Join(report.Languages(), " or ")},
			&ucli.StringFlag{Name: "out", Usage: "write to `FILE` instead of stdout", TakesFile: true},
			&ucli.StringFlag{Name: "author", Usage: "add your `NAME` after the run"},
			&ucli.StringFlag{Name: "notes", Usage: "add the Markdown `FILE` as your reflection after the run", TakesFile: true},
		},
		Action: runReport,
	}
}

func runReport(c *ucli.Context) error {
	if err := noArgs(c); err != nil {
		return err
	}
	lang := c.String("lang")
	if !slices.Contains(report.Languages(), lang) {
		return exit(ExitInvalid, fmt.Errorf("invalid --lang %q: want %s", lang, strings.Join(report.Languages(), " or ")))
	}
	out := c.String("out")
	format, err := outfile.Format(out, report.CanonicalFormat(c.String("format")), "text", reportExts)
	if err != nil {
		return exit(ExitInvalid, err)
	}
	if !slices.Contains(report.Formats, format) {
		return exit(ExitInvalid, fmt.Errorf("invalid --format %q: choose one of %s", c.String("format"), strings.Join(report.Formats, ", ")))
	}
	res, err := report.Load(c.String("in"))
	if err != nil {
		return exit(ExitInvalid, err)
	}
	notes, err := report.ReadNotes(c.String("notes"))
	if err != nil {
		return exit(ExitInvalid, fmt.Errorf("--notes: %w", err))
	}
	res.Amend(strings.TrimSpace(c.String("author")), notes, time.Now())
	var buf bytes.Buffer
	if err := report.Render(&buf, res, format, lang); err != nil {
		return exit(ExitInvalid, err)
	}
	return announce(c, buf.Bytes())
}
