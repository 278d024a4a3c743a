package instance

import (
	"fmt"
	"io"

	"github.com/proeftuin/proeftuin/internal/report"
)

// WriteResult writes the result document (asJSON) or the terminal
// summary and the paths of the files written, shown through display.
func (r *RunResult) WriteResult(w io.Writer, asJSON bool, lang string, display func(string) string) error {
	if asJSON {
		return report.RenderJSON(w, r.Result, lang)
	}
	if err := report.RenderText(w, r.Result, lang); err != nil {
		return err
	}
	report.WritePaths(w, r.Output.Files, lang, display)
	return nil
}

// WriteResumeHint tells how to continue a run that did not pass, its
// state saved in reportDir (empty: the default folder); nothing when it
// passed.
func (r *RunResult) WriteResumeHint(w io.Writer, reportDir string, display func(string) string) {
	if r.Result.Status == report.Passed {
		return
	}
	resume := "proeftuin run --resume"
	if reportDir != "" {
		resume += " --report-dir " + display(reportDir)
	}
	fmt.Fprintf(w, "proeftuin: run %s did not pass; after fixing the plan or the environment, continue it with '%s' (steps that passed are skipped)\n", r.Result.RunID, resume)
}
